-- Conversation: profiles' bios, posts' summaries and slugs, comments, likes and follows. The
-- counts that pages show (comments and likes of a post, followers, following and likes of a
-- user) are kept by triggers, as the post counts are (0005): per statement, over the
-- transition table, rows locked in id order.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN follower_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN like_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN summary TEXT NOT NULL DEFAULT '';
-- Made from the title when the post is written and never changed; posts from before get
-- theirs at the next start (NULL until then).
ALTER TABLE posts ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
ALTER TABLE posts ADD COLUMN comment_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN like_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE comments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_post ON comments (post_id, id);
CREATE INDEX comments_user ON comments (user_id);

CREATE TABLE likes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX likes_post ON likes (post_id);
CREATE INDEX likes_user_feed ON likes (user_id, created_at DESC, post_id DESC);

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id);

-- `sign` is +1 for the rows a statement added, -1 for those it removed.
CREATE FUNCTION conversation_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    sign BIGINT := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    IF TG_TABLE_NAME = 'comments' THEN
        FOR r IN SELECT post_id, COUNT(*) AS n FROM changed GROUP BY post_id ORDER BY post_id LOOP
            UPDATE posts SET comment_count = comment_count + sign * r.n WHERE id = r.post_id;
        END LOOP;
    ELSIF TG_TABLE_NAME = 'likes' THEN
        FOR r IN SELECT post_id, COUNT(*) AS n FROM changed GROUP BY post_id ORDER BY post_id LOOP
            UPDATE posts SET like_count = like_count + sign * r.n WHERE id = r.post_id;
        END LOOP;
        FOR r IN SELECT user_id, COUNT(*) AS n FROM changed GROUP BY user_id ORDER BY user_id LOOP
            UPDATE users SET like_count = like_count + sign * r.n WHERE id = r.user_id;
        END LOOP;
    ELSIF TG_TABLE_NAME = 'follows' THEN
        FOR r IN
            SELECT id, SUM(following) AS following, SUM(followers) AS followers FROM (
                SELECT follower_id AS id, 1 AS following, 0 AS followers FROM changed
                UNION ALL
                SELECT followee_id AS id, 0 AS following, 1 AS followers FROM changed
            ) c GROUP BY id ORDER BY id
        LOOP
            UPDATE users SET following_count = following_count + sign * r.following,
                             follower_count = follower_count + sign * r.followers
                WHERE id = r.id;
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;
-- A post's or a user's deletion removes its rows here by ON DELETE CASCADE, which fires these
-- too.
CREATE TRIGGER comments_counted_in AFTER INSERT ON comments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER comments_counted_out AFTER DELETE ON comments
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER likes_counted_in AFTER INSERT ON likes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER likes_counted_out AFTER DELETE ON likes
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER follows_counted_in AFTER INSERT ON follows
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
CREATE TRIGGER follows_counted_out AFTER DELETE ON follows
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversation_counted();
