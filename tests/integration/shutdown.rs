//! Graceful shutdown on a real TCP port: requests in flight at the signal
//! finish with complete answers, `/readyz` says 503 at once, the listener
//! stops accepting, and WebSocket clients get a close frame.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

use super::*;

const IN_FLIGHT: usize = 32;

scenario!(
    requests_in_flight_at_the_signal_all_get_complete_answers,
    with_demo,
    |app| async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (signal, signalled) = tokio::sync::oneshot::channel::<()>();
        let state = app.state.clone();
        let server = tokio::spawn(api::http::serve(
            listener,
            state.clone(),
            async move {
                let _ = signalled.await;
            },
            Duration::from_secs(20),
        ));

        // A WebSocket client, open before the signal.
        let mut ws = TcpStream::connect(addr).await.unwrap();
        ws.write_all(
            b"GET /graphql/ws HTTP/1.1\r\nHost: test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n",
        )
        .await
        .unwrap();
        let mut head = vec![0u8; 1024];
        let n = ws.read(&mut head).await.unwrap();
        let head = String::from_utf8_lossy(&head[..n]).into_owned();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");

        // 32 requests in flight: each has sent its head and half its body
        // when the signal comes, and the rest after it.
        let body = json!({ "query": "{ practices(first: 5) { totalCount nodes { title owner { name } } } }" })
            .to_string();
        let half = body.len() / 2;
        let mut clients = Vec::new();
        for _ in 0..IN_FLIGHT {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).await.unwrap();
            s.write_all(&body.as_bytes()[..half]).await.unwrap();
            clients.push(s);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let signalled_at = Instant::now();
        signal.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;

        // Ready no more, at once.
        let resp = api::app(state.clone())
            .oneshot(Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        // The listener no longer accepts.
        let mut refused = false;
        for _ in 0..40 {
            if TcpStream::connect(addr).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(refused, "the listener still accepts after the signal");

        // The WebSocket client gets a close frame: 1001, going away.
        let mut frame = [0u8; 4];
        tokio::time::timeout(Duration::from_secs(5), ws.read_exact(&mut frame))
            .await
            .expect("a close frame within 5 s")
            .unwrap();
        assert_eq!(frame[0], 0x88, "a final close frame: {frame:?}");
        assert_eq!(u16::from_be_bytes([frame[2], frame[3]]), 1001, "going away");

        // Every request in flight completes with its whole answer.
        let mut answers = Vec::new();
        for mut s in clients {
            let rest = body.as_bytes()[half..].to_vec();
            answers.push(tokio::spawn(async move {
                s.write_all(&rest).await.unwrap();
                let mut out = Vec::new();
                s.read_to_end(&mut out).await.unwrap();
                String::from_utf8_lossy(&out).into_owned()
            }));
        }
        let mut complete = 0;
        for a in answers {
            let raw = a.await.unwrap();
            assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
            let (head, json) = raw.split_once("\r\n\r\n").unwrap();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse().unwrap())
                })
                .expect("a content length");
            assert_eq!(json.len(), len, "the whole body arrived");
            let v: Value = serde_json::from_str(json).unwrap();
            assert!(v.get("errors").is_none(), "{v:#}");
            assert_eq!(v["data"]["practices"]["nodes"].as_array().unwrap().len(), 5);
            complete += 1;
        }
        assert_eq!(complete, IN_FLIGHT);
        tokio::time::timeout(Duration::from_secs(20), server)
            .await
            .expect("the server ends within the grace period")
            .unwrap()
            .unwrap();
        eprintln!(
            "{:?}: {complete}/{IN_FLIGHT} requests in flight answered in full; server ended {:?} after the signal",
            app.backend,
            signalled_at.elapsed()
        );
        app.close().await;
    }
);
