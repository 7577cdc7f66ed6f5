CREATE TABLE posts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       TEXT   NOT NULL,
    content     TEXT   NOT NULL,
    date_posted BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- The feed (newest first, ties by id) and each author's page.
CREATE INDEX posts_feed ON posts (date_posted DESC, id DESC);
CREATE INDEX posts_author_feed ON posts (user_id, date_posted DESC, id DESC);
