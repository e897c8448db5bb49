//! The daily jobs page, the home page's warning, and the page shown while the database is away.

use super::Text;

pub const TEXTS: &[Text] = &[
    ("nav.jobs", "定时任务", "Daily jobs"),
    ("jobs.title", "定时任务", "Daily jobs"),
    (
        "jobs.intro",
        "每日零点（北京时间）后自动执行；失败后按间隔重试。",
        "Run shortly after midnight (Asia/Shanghai); a failed job is retried after a growing wait.",
    ),
    ("jobs.job", "任务", "Job"),
    ("jobs.last_run", "上次执行", "Last run"),
    ("jobs.duration", "耗时", "Duration"),
    ("jobs.result", "结果", "Result"),
    ("jobs.next_run", "下次执行", "Next run"),
    ("jobs.run_now", "立即执行", "Run now"),
    ("jobs.failures", "连续失败", "failures in a row:"),
    ("jobs.never", "尚未执行", "Not run yet"),
    ("jobs.result.ok", "成功", "Succeeded"),
    ("jobs.result.failed", "失败", "Failed"),
    ("jobs.result.running", "执行中", "Running"),
    ("jobs.next.running", "正在执行", "Running now"),
    (
        "jobs.next.requested",
        "已请求，即将执行",
        "Requested; starting shortly",
    ),
    ("jobs.next.due", "即将执行", "Due; starting shortly"),
    ("jobs.next.retry", "重试时间", "Retry at"),
    ("jobs.next.after", "之后", "or shortly after"),
    (
        "jobs.next.day_change",
        "业务日期变更后（演示或演练日期固定）",
        "When the business day changes (a replayed or drill day stays put)",
    ),
    (
        "jobs.name.recompute_codes",
        "重算全部健康码",
        "Recompute every health code",
    ),
    (
        "jobs.name.quarantine_follow_ups",
        "生成当日隔离随访",
        "Generate the day's quarantine follow-ups",
    ),
    (
        "jobs.name.purge_sessions",
        "清理过期会话和登录记录",
        "Purge expired sessions and old login attempts",
    ),
    ("jobs.name.backup", "每日备份", "Daily backup"),
    (
        "home.jobs_failed",
        "有定时任务执行失败，请查看：",
        "A daily job has failed; see:",
    ),
];
