use crate::components::meta::{Canonical, Description};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <Title text="About"/>
        <Description text="What Quill is: a self-hosted blog for many writers, and how it keeps their accounts safe."/>
        <Canonical path="/about"/>
        <article class="card prose">
            <h1>"About Quill"</h1>
            <p>
                "Quill is a self-hosted blog for many writers. Register, write posts, edit and \
                 delete your own, and read everyone's in one feed."
            </p>
            <p>
                "It is one Rust program: pages are rendered on the server and come alive in your \
                 browser, and every form works with JavaScript switched off too. It keeps its data \
                 in an embedded SQLite file or in PostgreSQL."
            </p>
            <h2>"Your account"</h2>
            <ul>
                <li>"Passwords are stored only as argon2id hashes."</li>
                <li>"Forgotten your password? Ask for a reset link by e-mail; it works once, for 30 minutes."</li>
                <li>"Your profile picture is re-encoded on upload, so nothing hidden in the file travels on."</li>
            </ul>
            <h2>"For programs"</h2>
            <p>
                "Apps and scripts use Quill through its JSON API, with a token instead of a \
                 password. Read and try it in the "
                // A page outside the app: the router must let the browser load it.
                <a href="/api/v1/docs/" rel="external">"API documentation"</a>
                "."
            </p>
        </article>
    }
}
