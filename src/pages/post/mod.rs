//! The post's pages: reading one (`read`), writing and editing (`write`), and the delete
//! confirmations for browsers without JavaScript (`delete`).

mod delete;
mod read;
mod write;

pub use delete::{DeleteCommentPage, DeletePostPage};
pub use read::PostPage;
pub use write::{EditPostPage, NewPostPage};

use crate::components::conversation::{CommentForm, CommentItem, Likes};
use crate::components::editor::{Editor, PostFields};
use crate::components::field::{echo_for, echoed, FormError, FormErrors};
use crate::components::meta::{ArticlePreview, Canonical, Description};
use crate::components::posts::{PaginationBar, TagLinks};
use crate::components::submit::{action_of, Submit};
use crate::error::AppError;
use crate::model::{
    counted, excerpt, format_date, format_datetime, login_url, parse_id, parse_page, CommentPage,
    FieldName, FormEcho, FormId, PostFormat, PostView,
};
use crate::pages::errors::{Forbidden, NotFound, ServerError};
use crate::pages::login_required;
use crate::server_fns::conversation::{comment_for_delete, DeleteComment};
use crate::server_fns::posts::{get_post, post_for_edit, CreatePost, DeletePost, UpdatePost};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `{id}` of the URL, if it is a post id at all.
pub(super) fn post_id() -> Option<i64> {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| parse_id(&id))
}

/// The error pages a post page can end in.
pub(super) fn error_view(err: AppError, here: &str) -> AnyView {
    match err {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Forbidden => view! { <Forbidden/> }.into_any(),
        AppError::LoginRequired => login_required(here),
        _ => view! { <ServerError/> }.into_any(),
    }
}
