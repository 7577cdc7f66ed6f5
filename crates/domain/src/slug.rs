//! Slugs: a post's address-friendly name, made once from its title (`How to train your
//! dragon` → `how-to-train-your-dragon`). `/post/{id}` stays a post's address; slugs name
//! posts in the RealWorld API, whose clients address articles by them.

use super::db::{PostRepository, UniqueKey};
use sqlx::{Acquire, Any, Transaction};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest slug made from a title (a suffix may follow).
pub const MAX_LEN: usize = 60;

/// `a-z`, `0-9` and single `-` between words, from a title: accents dropped (`é` → `e`),
/// apostrophes too (`don't` → `dont`), anything else a separator; at most [`MAX_LEN`]
/// characters, cut between words. A title with nothing of Latin letters or digits in it is
/// `post`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in title.nfkd() {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else if is_combining_mark(c) || c == '\'' || c == '’' {
            continue;
        } else {
            gap = true;
        }
    }
    if slug.len() > MAX_LEN {
        let cut = slug[..=MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        "post".to_string()
    } else {
        slug
    }
}

/// The slugs to try for post `id`, in order: the title's, then with the id, then with the id
/// and a number (a title can itself end in the id of another post).
fn candidates(base: &str, id: i64) -> impl Iterator<Item = String> + '_ {
    std::iter::once(base.to_string())
        .chain(std::iter::once(format!("{base}-{id}")))
        .chain((2..).map(move |n| format!("{base}-{id}-{n}")))
}

/// Gives post `id` a slug from `title` inside the transaction that writes it: the first free
/// candidate. Each try is a savepoint, so a slug another transaction took in the meantime (the
/// unique index refuses it) only moves on to the next.
pub async fn assign(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    title: &str,
) -> Result<String, sqlx::Error> {
    let base = slugify(title);
    let mut last = None;
    for slug in candidates(&base, id).take(20) {
        let mut savepoint = tx.begin().await?;
        match PostRepository::set_missing_slug(&mut *savepoint, id, &slug).await {
            Ok(()) => {
                savepoint.commit().await?;
                return Ok(slug);
            }
            Err(err) if UniqueKey::violated(&err) == Some(UniqueKey::Slug) => {
                savepoint.rollback().await?;
                last = Some(err);
            }
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or(sqlx::Error::RowNotFound))
}

/// Gives every post from before slugs its slug, a batch at a time (run at start, like the
/// renderer, and by the seed). Answers how many it named.
pub async fn assign_missing(db: &super::db::Db) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    loop {
        let batch = PostRepository::without_slug(db, 500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        // One plain UPDATE a post, the slugs chosen beforehand; a savepoint a post (three
        // statements) made the PostgreSQL seed of 100,000 posts a minute slower. Should a
        // chosen slug be taken after all (another instance naming the same posts, or a title
        // ending in another post's id), the batch is done again the careful way.
        let plan = plan(db, &batch).await?;
        let mut tx = super::db::begin_write(db).await?;
        let mut quick = Ok(());
        for (id, slug) in &plan {
            if let Err(err) = PostRepository::set_missing_slug(&mut *tx, *id, slug).await {
                quick = Err(err);
                break;
            }
        }
        match quick {
            Ok(()) => tx.commit().await?,
            Err(err) if UniqueKey::violated(&err) == Some(UniqueKey::Slug) => {
                tx.rollback().await?;
                let mut tx = super::db::begin_write(db).await?;
                for (id, title) in &batch {
                    assign(&mut tx, *id, title).await?;
                }
                tx.commit().await?;
            }
            Err(err) => return Err(err),
        }
        done += batch.len() as u64;
    }
}

/// The slugs for a batch of posts: each title's, unless a post has it already or an earlier
/// post of the batch took it, then the next candidate.
async fn plan(
    db: &super::db::Db,
    batch: &[(i64, String)],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let bases: Vec<String> = batch.iter().map(|(_, title)| slugify(title)).collect();
    let mut taken: std::collections::HashSet<String> = PostRepository::slugs_among(db, &bases)
        .await?
        .into_iter()
        .collect();
    let mut plan = Vec::with_capacity(batch.len());
    for ((id, _), base) in batch.iter().zip(&bases) {
        if let Some(slug) = candidates(base, *id).find(|c| !taken.contains(c)) {
            taken.insert(slug.clone());
            plan.push((*id, slug));
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_titles() {
        assert_eq!(
            slugify("How to train your dragon"),
            "how-to-train-your-dragon"
        );
        assert_eq!(slugify("  Rust: 2024 edition!! "), "rust-2024-edition");
        assert_eq!(
            slugify("Café crème, s'il vous plaît"),
            "cafe-creme-sil-vous-plait"
        );
        assert_eq!(slugify("Don’t panic"), "dont-panic");
        assert_eq!(slugify("日本語"), "post");
        assert_eq!(slugify("---"), "post");
        let long = slugify(&"word ".repeat(30));
        assert!(long.len() <= MAX_LEN && long.ends_with("word"), "{long}");
        assert_eq!(slugify(&"x".repeat(80)).len(), MAX_LEN);
    }

    #[test]
    fn candidates_after_the_title() {
        let tried: Vec<String> = candidates("hello", 7).take(3).collect();
        assert_eq!(tried, ["hello", "hello-7", "hello-7-2"]);
    }
}
