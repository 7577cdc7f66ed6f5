-- Conversation: profiles' bios, posts' summaries and slugs, comments, likes and follows. The
-- counts that pages show (comments and likes of a post, followers, following and likes of a
-- user) are kept by triggers, as the post counts are (0005), so no page counts rows.
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN follower_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN summary TEXT NOT NULL DEFAULT '';
-- Made from the title when the post is written and never changed; posts from before get
-- theirs at the next start (NULL until then).
ALTER TABLE posts ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
ALTER TABLE posts ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
-- A post's comments in order (ids grow with time); a user's, for the cascade.
CREATE INDEX comments_post ON comments (post_id, id);
CREATE INDEX comments_user ON comments (user_id);
CREATE TRIGGER comments_counted_in AFTER INSERT ON comments BEGIN
    UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
END;
CREATE TRIGGER comments_counted_out AFTER DELETE ON comments BEGIN
    UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id;
END;

-- One like per user and post; a user's likes, newest first, are their "Liked" list.
CREATE TABLE likes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX likes_post ON likes (post_id);
CREATE INDEX likes_user_feed ON likes (user_id, created_at DESC, post_id DESC);
CREATE TRIGGER likes_counted_in AFTER INSERT ON likes BEGIN
    UPDATE posts SET like_count = like_count + 1 WHERE id = NEW.post_id;
    UPDATE users SET like_count = like_count + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER likes_counted_out AFTER DELETE ON likes BEGIN
    UPDATE posts SET like_count = like_count - 1 WHERE id = OLD.post_id;
    UPDATE users SET like_count = like_count - 1 WHERE id = OLD.user_id;
END;

-- Who follows whom; nobody follows themselves.
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id);
CREATE TRIGGER follows_counted_in AFTER INSERT ON follows BEGIN
    UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
    UPDATE users SET follower_count = follower_count + 1 WHERE id = NEW.followee_id;
END;
CREATE TRIGGER follows_counted_out AFTER DELETE ON follows BEGIN
    UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
    UPDATE users SET follower_count = follower_count - 1 WHERE id = OLD.followee_id;
END;
