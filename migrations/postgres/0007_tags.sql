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
CREATE FUNCTION post_tags_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE tags SET post_count = post_count + 1 WHERE id = NEW.tag_id;
    ELSE
        UPDATE tags SET post_count = post_count - 1 WHERE id = OLD.tag_id;
    END IF;
    RETURN NULL;
END;
$$;
-- A post's deletion removes its rows here by ON DELETE CASCADE, which fires this trigger too.
CREATE TRIGGER post_tags_counted AFTER INSERT OR DELETE ON post_tags
    FOR EACH ROW EXECUTE FUNCTION post_tags_counted();
