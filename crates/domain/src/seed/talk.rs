//! The blog corpus's conversation: comments, likes and follows among its authors.

use super::blog::{log_normal_chars, DAY, LAST_WORD};
use super::markdown::prose;
use super::*;

/// Comments' lengths: log-normal around this median, kept within the bounds.
const COMMENT_MEDIAN_CHARS: f64 = 160.0;
const COMMENT_SIGMA: f64 = 0.8;
/// The shortest and the longest comment of the blog corpus, in characters.
pub(super) const COMMENT_MIN_CHARS: usize = 40;
pub(super) const COMMENT_MAX_CHARS: usize = 600;
/// The most likes a post gets (fewer when there are fewer other users).
const MOST_LIKES: usize = 20;

/// How many comments, likes and follows a seed wrote.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Talk {
    pub(super) comments: usize,
    pub(super) likes: usize,
    pub(super) follows: usize,
}

/// Comments, likes and follows among the `users` on the posts after id `after`, each dated
/// after what it is about and no later than `end`: comments on a third of the posts (one to
/// eight each, by others than the author), likes of each post by up to `MOST_LIKES` others
/// (most posts get few), and each user following about a third of the others. The triggers
/// of migration 0009 count them as they are inserted.
pub(super) async fn talk(
    db: &Db,
    rng: &mut Rng,
    users: &[i64],
    after: i64,
    (start, end): (i64, i64),
) -> Result<Talk, SeedError> {
    let posts: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, user_id, date_posted FROM posts WHERE id > $1 ORDER BY id")
            .bind(after)
            .fetch_all(db)
            .await?;
    let mut comments: Vec<(i64, i64, String, i64)> = Vec::new();
    let mut likes: Vec<(i64, i64, i64)> = Vec::new();
    let most_likes = MOST_LIKES.min(users.len().saturating_sub(1));
    let mut others: Vec<i64> = Vec::with_capacity(users.len());
    for &(post, author, at) in &posts {
        others.clear();
        others.extend(users.iter().copied().filter(|&user| user != author));
        if others.is_empty() {
            continue;
        }
        if rng.below(3) == 0 {
            let mut when = at;
            for _ in 0..1 + rng.below(8) {
                when += 60 + rng.below(2 * DAY as usize) as i64;
                let by = others[rng.below(others.len())];
                let chars = log_normal_chars(
                    rng,
                    COMMENT_MEDIAN_CHARS,
                    COMMENT_SIGMA,
                    COMMENT_MIN_CHARS,
                    COMMENT_MAX_CHARS - LAST_WORD,
                );
                comments.push((post, by, prose(rng, chars, false), when.min(end).max(at)));
            }
        }
        // The cube of a uniform draw: a post gets fewer than a fifth of the most likes
        // more than half the time, and the most now and then.
        let count = ((most_likes + 1) as f64 * rng.unit().powi(3)) as usize;
        for i in 0..count.min(most_likes) {
            // The first `i` places hold the likers so far; the next is one of the rest.
            let j = i + rng.below(others.len() - i);
            others.swap(i, j);
            let when = (at + 60 + rng.below(30 * DAY as usize) as i64)
                .min(end)
                .max(at);
            likes.push((others[i], post, when));
        }
    }
    // Comment ids grow with time, as the comments' index expects of real ones.
    comments.sort_by_key(|&(post, _, _, when)| (when, post));
    let first_follow = start + users.len() as i64;
    let mut follows: Vec<(i64, i64, i64)> = Vec::new();
    for &follower in users {
        for &followee in users {
            if follower != followee && rng.below(3) == 0 {
                let when = first_follow + rng.below((end - first_follow).max(1) as usize) as i64;
                follows.push((follower, followee, when));
            }
        }
    }
    let done = Talk {
        comments: comments.len(),
        likes: likes.len(),
        follows: follows.len(),
    };
    insert_rows(
        db,
        "INSERT INTO comments (post_id, user_id, body, created_at) VALUES ",
        4,
        comments,
        |query, (post, user, body, when)| query.bind(post).bind(user).bind(body).bind(when),
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO likes (user_id, post_id, created_at) VALUES ",
        3,
        likes,
        |query, (user, post, when)| query.bind(user).bind(post).bind(when),
    )
    .await?;
    insert_rows(
        db,
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ",
        3,
        follows,
        |query, (follower, followee, when)| query.bind(follower).bind(followee).bind(when),
    )
    .await?;
    Ok(done)
}
