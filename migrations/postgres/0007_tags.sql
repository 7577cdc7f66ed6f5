-- Tags: a post has up to five. `posts.tags` keeps them as shown (`a, b`), so a list of posts
-- needs no join; `post_tags` finds a tag's posts, newest first, on its own index (a post's
-- date never changes, so it is copied here); `tags.post_count` is kept by a trigger.
ALTER TABLE posts ADD COLUMN tags TEXT NOT NULL DEFAULT '';
CREATE TABLE tags (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE,
    post_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tags_most_used ON tags (post_count DESC, name);
CREATE TABLE post_tags (
    post_id     BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id      BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    date_posted BIGINT NOT NULL,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_feed ON post_tags (tag_id, date_posted DESC, post_id DESC);
-- Per statement, over its transition table, tags in id order (see 0005_post_counts.sql).
CREATE FUNCTION post_tags_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT tag_id, COUNT(*) AS n FROM new_rows GROUP BY tag_id ORDER BY tag_id LOOP
        UPDATE tags SET post_count = post_count + r.n WHERE id = r.tag_id;
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE FUNCTION post_tags_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT tag_id, COUNT(*) AS n FROM old_rows GROUP BY tag_id ORDER BY tag_id LOOP
        UPDATE tags SET post_count = post_count - r.n WHERE id = r.tag_id;
    END LOOP;
    RETURN NULL;
END;
$$;
-- A post's deletion removes its rows here by ON DELETE CASCADE, which fires these too.
CREATE TRIGGER post_tags_counted_in AFTER INSERT ON post_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION post_tags_counted_in();
CREATE TRIGGER post_tags_counted_out AFTER DELETE ON post_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION post_tags_counted_out();
