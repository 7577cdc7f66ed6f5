-- API tokens carry the generation of their user's tokens when they were made; a password
-- change or "log out everywhere" starts a new generation, which ends every older token. The
-- token that changed the password through the API is kept alive by its id.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN kept_token_jti TEXT;
