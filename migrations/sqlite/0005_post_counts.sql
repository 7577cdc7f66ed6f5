-- How many posts each author has and the site has, kept by triggers: a feed page reads its
-- total instead of counting (an author's COUNT(*) walked every one of their posts).
ALTER TABLE users ADD COLUMN post_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET post_count = (SELECT COUNT(*) FROM posts WHERE posts.user_id = users.id);
CREATE TABLE post_totals (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    posts INTEGER NOT NULL
);
INSERT INTO post_totals (id, posts) VALUES (1, (SELECT COUNT(*) FROM posts));
CREATE TRIGGER posts_counted_in AFTER INSERT ON posts BEGIN
    UPDATE users SET post_count = post_count + 1 WHERE id = NEW.user_id;
    UPDATE post_totals SET posts = posts + 1 WHERE id = 1;
END;
-- A user's deletion removes their posts by ON DELETE CASCADE, which runs this trigger too.
CREATE TRIGGER posts_counted_out AFTER DELETE ON posts BEGIN
    UPDATE users SET post_count = post_count - 1 WHERE id = OLD.user_id;
    UPDATE post_totals SET posts = posts - 1 WHERE id = 1;
END;
CREATE TRIGGER posts_counted_moved AFTER UPDATE OF user_id ON posts
WHEN NEW.user_id <> OLD.user_id BEGIN
    UPDATE users SET post_count = post_count - 1 WHERE id = OLD.user_id;
    UPDATE users SET post_count = post_count + 1 WHERE id = NEW.user_id;
END;
