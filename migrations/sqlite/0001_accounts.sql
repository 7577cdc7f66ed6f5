-- Times are UTC seconds since the epoch (sqlx's Any driver has no timestamp type).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    avatar_etag   TEXT,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    id         TEXT    PRIMARY KEY,          -- hex SHA-256 of the cookie token
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    remember   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE avatars (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bytes        BLOB    NOT NULL,
    content_type TEXT    NOT NULL,
    etag         TEXT    NOT NULL
);

-- Messages and refused forms carried to the next page (see backend/flash.rs).
CREATE TABLE flashes (
    id         TEXT    PRIMARY KEY,          -- hex SHA-256 of the cookie token
    payload    TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX flashes_expires_at ON flashes (expires_at);
