//! The HTTP-layer limit for the benchmark: an axum server on the same
//! runtime settings as `berguru serve`, answering `POST /graphql` with a
//! fixed body of a given size and no work behind it.
//!
//! `bare-axum <listen address> <body file>`: the body file is a response
//! Berguru gave, so both send the same bytes.

use axum::Router;
use axum::http::header;
use axum::routing::post;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let listen = args
        .next()
        .ok_or("usage: bare-axum <listen address> <body file>")?;
    let file = args
        .next()
        .ok_or("usage: bare-axum <listen address> <body file>")?;
    let body: &'static [u8] = Box::leak(std::fs::read(&file)?.into_boxed_slice());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = Router::new().route(
            "/graphql",
            post(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
        );
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        println!("bare-axum serving {} bytes on {listen}", body.len());
        axum::serve(listener, app).await?;
        Ok(())
    })
}
