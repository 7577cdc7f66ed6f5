//! `/articles/{slug}/comments`.

use super::*;

#[derive(Serialize)]
pub(super) struct CommentsBody {
    pub(super) comments: Vec<CommentOut>,
}

pub(super) async fn comments(
    State(state): State<AppState>,
    reader: MaybeRwUser,
    Path(slug): Path<String>,
) -> RwResult<Json<CommentsBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let paging = Paging {
        page: 1,
        per_page: MAX_COMMENTS.max(COMMENTS_PER_PAGE),
    };
    let page = conversation::comments(&state.db, reader.user(), id, paging).await?;
    let ids: Vec<i64> = page.comments.iter().map(|c| c.author.id).collect();
    let authors = profiles(&state, reader.user(), &ids).await?;
    let comments = page
        .comments
        .into_iter()
        .filter_map(|c| {
            let author = authors.get(&c.author.id)?.clone();
            Some(comment_of(c, author))
        })
        .collect();
    Ok(Json(CommentsBody { comments }))
}

#[derive(Deserialize)]
pub(super) struct NewComment {
    pub(super) body: String,
}

#[derive(Deserialize)]
pub(super) struct NewCommentBody {
    pub(super) comment: NewComment,
}

#[derive(Serialize)]
pub(super) struct CommentBody {
    pub(super) comment: CommentOut,
}

pub(super) async fn add_comment(
    State(state): State<AppState>,
    me: RwUser,
    Path(slug): Path<String>,
    RwJson(body): RwJson<NewCommentBody>,
) -> RwResult<Json<CommentBody>> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let user = &me.me.user;
    let comment = conversation::add_comment(&state.db, user, id, &body.comment.body).await?;
    let author = profile_of(&state, user, false);
    Ok(Json(CommentBody {
        comment: comment_of(comment, author),
    }))
}

pub(super) async fn delete_comment(
    State(state): State<AppState>,
    me: RwUser,
    Path((slug, comment)): Path<(String, String)>,
) -> RwResult<StatusCode> {
    let id = posts::id_by_slug(&state.db, &slug).await?;
    let comment = crate::model::parse_id(&comment).ok_or(Error::NotFound)?;
    conversation::delete_comment(&state.db, &me.me.user, id, comment).await?;
    Ok(StatusCode::NO_CONTENT)
}
