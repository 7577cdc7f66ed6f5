//! `/tags`.

use super::*;

#[derive(Serialize)]
pub(super) struct TagsBody {
    pub(super) tags: Vec<String>,
}

pub(super) async fn tags(State(state): State<AppState>) -> RwResult<Json<TagsBody>> {
    let (tags, _) = posts::tags_page(&state.db, Paging::first(MAX_TAGS)).await?;
    Ok(Json(TagsBody {
        tags: tags.into_iter().map(|t| t.name).collect(),
    }))
}
