-- Posts are Markdown or plain text. Every post from before is plain text and keeps its look.
-- What a post renders to (sanitized HTML, the card's plain-text excerpt, its word count) is
-- kept beside its source, made when it is written; `rendered_by` names the renderer version
-- that made it, and Quill renders again at start every post an older version made (0: none,
-- so the posts below are rendered on the first start after this migration).
ALTER TABLE posts ADD COLUMN format TEXT NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'markdown'));
ALTER TABLE posts ADD COLUMN content_html TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN words INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN rendered_by INTEGER NOT NULL DEFAULT 0;
CREATE INDEX posts_rendered_by ON posts (rendered_by);
