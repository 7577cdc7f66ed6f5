-- Times are UTC seconds since the epoch (sqlx's Any driver has no timestamp type).
CREATE TABLE users (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    avatar_etag   TEXT,
    is_admin      BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    id         TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    remember   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE avatars (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bytes        BYTEA  NOT NULL,
    content_type TEXT   NOT NULL,
    etag         TEXT   NOT NULL
);

CREATE TABLE flashes (
    id         TEXT   PRIMARY KEY,
    payload    TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX flashes_expires_at ON flashes (expires_at);
