use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use testkit::Browser;
use testkit::fantoccini::Locator;

const PAGE: &str = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
    <title>智控测试页</title></head>\
    <body><h1 id=\"greeting\">你好，世界</h1><p>居民身份证号码与统一社会信用代码</p></body></html>";

/// Serves `PAGE` for every request on a free port; returns the base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            // Read the request head up to the blank line.
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                PAGE.len()
            );
        }
    });
    url
}

#[tokio::test]
async fn renders_chinese_page_and_saves_screenshots() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let url = serve();
    let c = browser.client();
    c.goto(&url).await.unwrap();
    assert_eq!(c.title().await.unwrap(), "智控测试页");
    let h1 = c
        .find(Locator::Id("greeting"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "你好，世界");

    let path = browser.screenshot("testkit_chinese_page").await;
    assert!(
        path.ends_with("screenshots/testkit_chinese_page.png"),
        "{}",
        path.display()
    );
    let png = std::fs::read(&path).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {}",
        path.display()
    );

    // A failing step leaves a screenshot behind and hands the error back.
    let failed = browser
        .run("testkit_failing_step", async |c| {
            c.find(Locator::Id("no-such-element")).await
        })
        .await;
    assert!(failed.is_err());
    let failure_shot = path.with_file_name("testkit_failing_step.png");
    assert!(failure_shot.is_file());
    std::fs::remove_file(&failure_shot).unwrap();

    // So does a panicking one, and the panic propagates.
    let panicked = tokio::spawn(async move {
        browser
            .run("testkit_panicking_step", async |_| -> Result<(), ()> {
                panic!("deliberate test panic")
            })
            .await
    })
    .await;
    assert!(panicked.unwrap_err().is_panic());
    let panic_shot = path.with_file_name("testkit_panicking_step.png");
    assert!(panic_shot.is_file());
    std::fs::remove_file(&panic_shot).unwrap();
}

#[tokio::test]
async fn close_ends_the_session() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    browser.client().goto("about:blank").await.unwrap();
    browser.close().await;
}
