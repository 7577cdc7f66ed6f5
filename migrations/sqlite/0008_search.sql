-- Full-text search over titles and contents: an FTS5 index whose content is the posts table
-- itself (external content: the text is stored once), kept in step by triggers.
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, content,
    content = 'posts', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO posts_fts (rowid, title, content) SELECT id, title, content FROM posts;
CREATE TRIGGER posts_fts_in AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;
CREATE TRIGGER posts_fts_out AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, content)
        VALUES ('delete', OLD.id, OLD.title, OLD.content);
END;
CREATE TRIGGER posts_fts_changed AFTER UPDATE OF title, content ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, content)
        VALUES ('delete', OLD.id, OLD.title, OLD.content);
    INSERT INTO posts_fts (rowid, title, content) VALUES (NEW.id, NEW.title, NEW.content);
END;
