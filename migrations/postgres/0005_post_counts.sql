-- How many posts each author has and the site has, kept by triggers: a feed page reads its
-- total instead of counting (COUNT(*) visits every row PostgreSQL may see). The triggers are
-- per statement, over its transition table: a statement that writes many posts (the seed's
-- 500-row INSERTs) updates each counter once, not once a row (many updates of one row in one
-- transaction each walk the row's growing chain of versions).
ALTER TABLE users ADD COLUMN post_count BIGINT NOT NULL DEFAULT 0;
UPDATE users SET post_count = (SELECT COUNT(*) FROM posts WHERE posts.user_id = users.id);
CREATE TABLE post_totals (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    posts BIGINT NOT NULL
);
INSERT INTO post_totals (id, posts) VALUES (1, (SELECT COUNT(*) FROM posts));
CREATE FUNCTION posts_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    -- Authors in id order: two statements lock the same rows in the same order.
    FOR r IN SELECT user_id, COUNT(*) AS n FROM new_rows GROUP BY user_id ORDER BY user_id LOOP
        UPDATE users SET post_count = post_count + r.n WHERE id = r.user_id;
    END LOOP;
    UPDATE post_totals SET posts = posts + (SELECT COUNT(*) FROM new_rows) WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE FUNCTION posts_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT user_id, COUNT(*) AS n FROM old_rows GROUP BY user_id ORDER BY user_id LOOP
        UPDATE users SET post_count = post_count - r.n WHERE id = r.user_id;
    END LOOP;
    UPDATE post_totals SET posts = posts - (SELECT COUNT(*) FROM old_rows) WHERE id = 1;
    RETURN NULL;
END;
$$;
-- A post never changes author in Quill; should one, this keeps the counts right. Per row and
-- only when the author changes: a statement trigger on every UPDATE would make each update
-- of a post (a re-render at start, 100,000 of them) gather transition tables.
CREATE FUNCTION posts_counted_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET post_count = post_count - 1 WHERE id = OLD.user_id;
    UPDATE users SET post_count = post_count + 1 WHERE id = NEW.user_id;
    RETURN NULL;
END;
$$;
-- A user's deletion removes their posts by ON DELETE CASCADE, which fires these too.
CREATE TRIGGER posts_counted_in AFTER INSERT ON posts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION posts_counted_in();
CREATE TRIGGER posts_counted_out AFTER DELETE ON posts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION posts_counted_out();
CREATE TRIGGER posts_counted_moved AFTER UPDATE OF user_id ON posts
    FOR EACH ROW WHEN (OLD.user_id <> NEW.user_id) EXECUTE FUNCTION posts_counted_moved();
