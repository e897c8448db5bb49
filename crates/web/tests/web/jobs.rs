//! The daily jobs page: the admin sees every job and can ask for a run now (audited); other
//! roles are refused.

use crate::common::{csrf, page, post_form, token};

#[tokio::test]
async fn the_admin_sees_the_jobs_and_can_run_one_now() {
    let admin = token("admin").await;
    let (status, html) = page(&admin, "/jobs").await;
    assert_eq!(status, 200);
    for job in [
        "recompute_codes",
        "quarantine_follow_ups",
        "purge_sessions",
        "backup",
    ] {
        assert!(html.contains(&format!("id=\"job-{job}\"")), "{job}");
    }
    assert!(html.contains("立即执行"));
    let csrf = csrf(&admin, "/jobs").await;
    let (status, location, _) =
        post_form(&admin, "/jobs/purge_sessions/run", &[("csrf", &csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/jobs"));
    let (_, html) = page(&admin, "/jobs").await;
    assert!(html.contains("已请求，即将执行"), "{html}");
    let (_, audit) = page(&admin, "/audit").await;
    assert!(audit.contains("job.run_now"));
    // An unknown job, a missing token.
    assert_eq!(
        post_form(&admin, "/jobs/nothing/run", &[("csrf", &csrf)])
            .await
            .0,
        404
    );
    assert_eq!(
        post_form(&admin, "/jobs/backup/run", &[("csrf", "")])
            .await
            .0,
        403
    );
    let commander = token("commander").await;
    assert_eq!(page(&commander, "/jobs").await.0, 403);
}
