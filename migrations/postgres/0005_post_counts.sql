-- How many posts each author has and the site has, kept by a trigger: a feed page reads its
-- total instead of counting (COUNT(*) visits every row PostgreSQL may see).
ALTER TABLE users ADD COLUMN post_count BIGINT NOT NULL DEFAULT 0;
UPDATE users SET post_count = (SELECT COUNT(*) FROM posts WHERE posts.user_id = users.id);
CREATE TABLE post_totals (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    posts BIGINT NOT NULL
);
INSERT INTO post_totals (id, posts) VALUES (1, (SELECT COUNT(*) FROM posts));
CREATE FUNCTION posts_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET post_count = post_count + 1 WHERE id = NEW.user_id;
        UPDATE post_totals SET posts = posts + 1 WHERE id = 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET post_count = post_count - 1 WHERE id = OLD.user_id;
        UPDATE post_totals SET posts = posts - 1 WHERE id = 1;
    ELSIF NEW.user_id <> OLD.user_id THEN
        UPDATE users SET post_count = post_count - 1 WHERE id = OLD.user_id;
        UPDATE users SET post_count = post_count + 1 WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END;
$$;
-- A user's deletion removes their posts by ON DELETE CASCADE, which fires this trigger too.
CREATE TRIGGER posts_counted AFTER INSERT OR DELETE OR UPDATE OF user_id ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_counted();
