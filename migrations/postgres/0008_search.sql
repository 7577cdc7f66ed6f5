-- Full-text search over titles (weighted first) and contents: a generated tsvector column and
-- a GIN index on it.
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', content), 'B')
) STORED;
CREATE INDEX posts_search ON posts USING GIN (search);
