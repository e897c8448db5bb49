//! `zhikong keys`: generate, rotate (the old key stays trusted until its codes expire), list,
//! and print the trust anchor.

use std::process::Command;

fn keys(data: &std::path::Path, what: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_zhikong"))
        .args(["--data", data.to_str().unwrap(), "keys", what])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "keys {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn generate_rotate_list_and_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let first = keys(dir.path(), "generate");
    assert_eq!(first["keys"].as_array().unwrap().len(), 1);
    assert_eq!(first["keys"][0]["state"], "current");
    let kid = first["keys"][0]["kid"].clone();
    // Generating again keeps the existing key.
    assert_eq!(keys(dir.path(), "generate")["keys"][0]["kid"], kid);
    let rotated = keys(dir.path(), "rotate");
    let list = rotated["keys"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["kid"].clone(), list[0]["state"].as_str()),
        (kid, Some("retired"))
    );
    assert!(list[0]["trusted_until"].is_string());
    assert_eq!(keys(dir.path(), "list"), rotated);
    let anchor = keys(dir.path(), "anchor");
    assert_eq!(anchor["keys"].as_array().unwrap().len(), 1);
    assert!(anchor["keys"][0]["spki"].is_string());
    // The private keys are readable by the owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("keys/current.pk8"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0);
    }
}
