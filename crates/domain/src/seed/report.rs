//! What a seed wrote, for the benchmarks to say what they ran on.

use super::*;

/// What a seed wrote, as a benchmark describes what it ran on. Lengths count characters of
/// the posts' sources (Markdown or plain text) as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub corpus: Corpus,
    pub users: usize,
    pub posts: usize,
    /// Characters of all the posts together.
    pub characters: u64,
    /// The middle post's length (of two middle ones, the longer).
    pub median_chars: usize,
    pub max_chars: usize,
    /// The id of a post of `max_chars` characters (a benchmark reads its page).
    pub longest_post: Option<i64>,
    pub comments: usize,
    pub likes: usize,
    pub follows: usize,
}

impl SeedReport {
    /// The figures of `lengths`, the posts' lengths in any order.
    pub(super) fn of(corpus: Corpus, users: usize, mut lengths: Vec<usize>, talk: Talk) -> Self {
        lengths.sort_unstable();
        Self {
            corpus,
            users,
            posts: lengths.len(),
            characters: lengths.iter().map(|&n| n as u64).sum(),
            median_chars: lengths.get(lengths.len() / 2).copied().unwrap_or(0),
            max_chars: lengths.last().copied().unwrap_or(0),
            longest_post: None,
            comments: talk.comments,
            likes: talk.likes,
            follows: talk.follows,
        }
    }

    /// The posts' mean length in characters (0 without posts).
    pub fn mean_chars(&self) -> f64 {
        self.characters as f64 / self.posts.max(1) as f64
    }
}

/// One line: `blog corpus: 10 users, 10,000 posts of 52,270,167 characters (median 3,538,
/// mean 5,227, longest 59,998), 14,790 comments, 20,761 likes, 26 follows`.
impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |n: usize| group_thousands(n as u64);
        write!(
            f,
            "{} corpus: {} users, {} posts of {} characters (median {}, mean {}, longest {}), \
             {} comments, {} likes, {} follows",
            self.corpus.as_str(),
            n(self.users),
            n(self.posts),
            group_thousands(self.characters),
            n(self.median_chars),
            n(self.mean_chars().round() as usize),
            n(self.max_chars),
            n(self.comments),
            n(self.likes),
            n(self.follows),
        )
    }
}
