//! `/articles`: lists, the feed, one article, writing, favorites.

use super::*;

/// `limit` (1–100, default 20) and `offset` (from 0, default 0).
pub(super) fn window(query: &HashMap<String, String>) -> RwResult<(u64, u32)> {
    let mut errors = crate::model::FieldErrors::new();
    let limit = match query.get("limit") {
        None => 20,
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => {
                errors.add(FieldName::PerPage, "limit is a whole number from 1.");
                20
            }
        },
    };
    let offset = match query.get("offset") {
        None => 0,
        Some(raw) => raw.parse::<u32>().map(u64::from).unwrap_or_else(|_| {
            errors.add(FieldName::Page, "offset is a whole number from 0.");
            0
        }),
    };
    errors
        .into_result((offset, limit))
        .map_err(|errors| RwError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: errors
                .0
                .into_iter()
                .map(|(field, message)| {
                    let name = if field == FieldName::PerPage {
                        "limit"
                    } else {
                        "offset"
                    };
                    (name.to_string(), vec![message])
                })
                .collect(),
            retry_after: None,
        })
}

/// Recent articles, or those of one `tag`, one `author` or `favorited` by one user (one filter
/// at a time). A filter that names nothing (no such tag or user) finds nothing.
pub(super) async fn list_articles(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Query(query): Query<HashMap<String, String>>,
) -> RwResult<Json<ArticlesBody>> {
    let (offset, limit) = window(&query)?;
    let filters: Vec<(&str, &String)> = ["tag", "author", "favorited"]
        .into_iter()
        .filter_map(|name| query.get(name).map(|value| (name, value)))
        .collect();
    let found = |r: Result<i64, Error>| match r {
        Ok(id) => Ok(Some(id)),
        Err(Error::NotFound) => Ok(None),
        Err(err) => Err(err),
    };
    let list = match filters.as_slice() {
        [] => Some(PostList::All),
        [("tag", name)] => found(posts::tag_id(&state.db, name).await)?.map(PostList::Tag),
        [("author", name)] => {
            found(users::by_username(&state.db, name).await.map(|u| u.id))?.map(PostList::Author)
        }
        [("favorited", name)] => {
            found(users::by_username(&state.db, name).await.map(|u| u.id))?.map(PostList::Liked)
        }
        _ => {
            return Err(RwError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "query",
                "Filter by one of tag, author and favorited at a time.",
            ))
        }
    };
    let Some(list) = list else {
        return articles(&state, reader.user(), Vec::new(), 0).await;
    };
    let (found, total) = posts::window(&state.db, reader.user(), list, offset, limit).await?;
    articles(&state, reader.user(), found, total).await
}

/// The articles of the users the token's user follows, newest first.
pub(super) async fn feed(
    State(state): State<AppState>,
    me: RwUser,
    Query(query): Query<HashMap<String, String>>,
) -> RwResult<Json<ArticlesBody>> {
    let (offset, limit) = window(&query)?;
    let user = &me.me.user;
    let list = PostList::Following(user.id);
    let (found, total) = posts::window(&state.db, Some(user), list, offset, limit).await?;
    articles(&state, Some(user), found, total).await
}

pub(super) async fn get_article(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    article(&state, reader.user(), id).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct NewArticle {
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    pub(super) body: String,
    #[serde(default)]
    pub(super) tag_list: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(super) struct NewArticleBody {
    pub(super) article: NewArticle,
}

pub(super) async fn create_article(
    State(state): State<AppState>,
    me: RwUser,
    RwJson(body): RwJson<NewArticleBody>,
) -> RwResult<(StatusCode, Json<ArticleBody>)> {
    let new = body.article;
    let input = PostInput {
        title: &new.title,
        summary: new.description.as_deref(),
        content: &new.body,
        format: None,
        tags: new.tag_list.as_deref().map(TagsInput::List),
    };
    let user = &me.me.user;
    let id = posts::create(&state, user, input).await?;
    Ok((StatusCode::CREATED, article(&state, Some(user), id).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ArticleChange {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) body: Option<String>,
    pub(super) tag_list: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(super) struct ArticleChangeBody {
    pub(super) article: ArticleChange,
}

pub(super) async fn update_article(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
    RwJson(body): RwJson<ArticleChangeBody>,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let user = &me.me.user;
    // What the change leaves out stays as it is (the post is public: reading it first tells
    // nobody anything).
    let current = posts::get(&state.db, None, id).await?;
    let change = body.article;
    let input = PostInput {
        title: change.title.as_deref().unwrap_or(&current.title),
        summary: change.description.as_deref(),
        content: change.body.as_deref().unwrap_or(&current.content),
        format: None,
        tags: change.tag_list.as_deref().map(TagsInput::List),
    };
    posts::update(&state, user, id, input).await?;
    article(&state, Some(user), id).await
}

pub(super) async fn delete_article(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<StatusCode> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    posts::delete(&state, &me.me.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn set_favorite(
    state: &AppState,
    me: &RwUser,
    slug: &str,
    on: bool,
) -> RwResult<Json<ArticleBody>> {
    let id = posts::id_by_slug(&state.db, slug).await?;
    conversation::set_like(&state.db, &me.me.user, id, on).await?;
    article(state, Some(&me.me.user), id).await
}

pub(super) async fn favorite(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    set_favorite(&state, &me, &slug, true).await
}

pub(super) async fn unfavorite(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<ArticleBody>> {
    set_favorite(&state, &me, &slug, false).await
}
