//! The response bodies shared by several resources: users, profiles, articles, comments.

use super::*;

/// RealWorld's times: RFC 3339 with milliseconds (its test suite asks for a fraction).
pub(super) fn timestamp(seconds: i64) -> String {
    let plain = format_datetime(seconds);
    format!("{}.000Z", plain.trim_end_matches('Z'))
}

/// An avatar's absolute address (RealWorld clients show it as they get it).
pub(super) fn image(state: &AppState, path: &str) -> String {
    if path.starts_with('/') {
        format!("{}{path}", state.config.public_url)
    } else {
        path.to_string()
    }
}

#[derive(Serialize)]
pub(super) struct UserOut {
    pub(super) email: String,
    pub(super) token: String,
    pub(super) username: String,
    pub(super) bio: String,
    pub(super) image: String,
}

#[derive(Serialize)]
pub(super) struct UserBody {
    pub(super) user: UserOut,
}

pub(super) fn user_body(state: &AppState, user: &UserRecord, token: String) -> Json<UserBody> {
    let avatar = crate::model::avatar_url(user.id, user.avatar_etag.as_deref());
    Json(UserBody {
        user: UserOut {
            email: user.email.clone(),
            token,
            username: user.username.clone(),
            bio: user.bio.clone(),
            image: image(state, &avatar),
        },
    })
}

#[derive(Serialize, Clone)]
pub(super) struct ProfileOut {
    pub(super) username: String,
    pub(super) bio: String,
    pub(super) image: String,
    pub(super) following: bool,
}

#[derive(Serialize)]
pub(super) struct ProfileBody {
    pub(super) profile: ProfileOut,
}

pub(super) fn profile_of(state: &AppState, user: &UserRecord, following: bool) -> ProfileOut {
    let avatar = crate::model::avatar_url(user.id, user.avatar_etag.as_deref());
    ProfileOut {
        username: user.username.clone(),
        bio: user.bio.clone(),
        image: image(state, &avatar),
        following,
    }
}

/// The profiles of `ids` as `reader` sees them (whether they follow each): two queries.
pub(super) async fn profiles(
    state: &AppState,
    reader: Option<&UserRecord>,
    ids: &[i64],
) -> RwResult<HashMap<i64, ProfileOut>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let users = users::by_ids(&state.db, &ids).await?;
    let followed = conversation::followed_among(&state.db, reader, &ids).await?;
    Ok(users
        .iter()
        .map(|u| (u.id, profile_of(state, u, followed.contains(&u.id))))
        .collect())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArticleOut {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) description: String,
    /// Not in lists (RealWorld 1.1.0 leaves it out there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) body: Option<String>,
    pub(super) tag_list: Vec<String>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) favorited: bool,
    pub(super) favorites_count: u64,
    pub(super) author: ProfileOut,
}

#[derive(Serialize)]
pub(super) struct ArticleBody {
    pub(super) article: ArticleOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArticlesBody {
    pub(super) articles: Vec<ArticleOut>,
    pub(super) articles_count: u64,
}

/// An article: a post's card, and its text where one article is asked for (lists carry none).
pub(super) fn article_of(post: PostCard, author: ProfileOut, body: Option<String>) -> ArticleOut {
    // In name order: RealWorld clients and its test suite expect a stable order.
    let mut tags = post.tags;
    tags.sort();
    ArticleOut {
        slug: post.slug,
        title: post.title,
        description: post.summary,
        body,
        tag_list: tags,
        created_at: timestamp(post.date_posted),
        updated_at: timestamp(post.updated_at),
        favorited: post.liked,
        favorites_count: post.like_count,
        author,
    }
}

/// One article, read again as `reader` sees it.
pub(super) async fn article(
    state: &AppState,
    reader: Option<&UserRecord>,
    id: i64,
) -> RwResult<Json<ArticleBody>> {
    let mut post = posts::get(&state.db, reader, id).await?;
    let author = profiles(state, reader, &[post.author.id])
        .await?
        .remove(&post.author.id)
        .ok_or(Error::NotFound)?;
    let body = std::mem::take(&mut post.content);
    Ok(Json(ArticleBody {
        article: article_of(post.into(), author, Some(body)),
    }))
}

pub(super) async fn articles(
    state: &AppState,
    reader: Option<&UserRecord>,
    posts: Vec<PostCard>,
    total: u64,
) -> RwResult<Json<ArticlesBody>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.author.id).collect();
    let authors = profiles(state, reader, &ids).await?;
    let articles = posts
        .into_iter()
        .filter_map(|post| {
            let author = authors.get(&post.author.id)?.clone();
            Some(article_of(post, author, None))
        })
        .collect();
    Ok(Json(ArticlesBody {
        articles,
        articles_count: total,
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommentOut {
    pub(super) id: i64,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) body: String,
    pub(super) author: ProfileOut,
}

pub(super) fn comment_of(comment: CommentView, author: ProfileOut) -> CommentOut {
    CommentOut {
        id: comment.id,
        created_at: timestamp(comment.created_at),
        // Comments are never edited.
        updated_at: timestamp(comment.created_at),
        body: comment.body,
        author,
    }
}
