//! Texts of the changes that wait for a second person (the change policy) and of paying.

use super::Text;

pub const TEXTS: &[Text] = &[
    (
        "approvals.title",
        "待复核的变更",
        "Changes awaiting a second person",
    ),
    (
        "approvals.rule",
        "使健康码比规则更宽松、或改动他人录入记录的变更，须由另一名有权限的工作人员在本人账号中复核后才生效。",
        "A change that makes a code less strict than the rules, or acts on a record someone else entered, takes effect only once another authorised person approves it from their own account.",
    ),
    (
        "approvals.none",
        "没有待复核的变更。",
        "Nothing awaits approval.",
    ),
    ("approvals.requested_by", "申请人", "Requested by"),
    ("approvals.reviewer", "指定复核人", "Named reviewer"),
    (
        "approvals.not_own",
        "本人提出的变更须由他人复核。",
        "Your own request needs someone else.",
    ),
    ("approvals.note", "复核意见", "Note"),
    ("approvals.approve", "复核通过", "Approve"),
    ("approvals.reject", "驳回", "Reject"),
    (
        "approvals.done.approved",
        "已复核通过，变更已生效。",
        "Approved; the change is in force.",
    ),
    ("approvals.done.rejected", "已驳回。", "Rejected."),
    (
        "approvals.kind.declaration",
        "代为健康申报",
        "Declaration entered by staff",
    ),
    (
        "approvals.kind.check_in",
        "代为健康打卡",
        "Check-in entered by staff",
    ),
    (
        "approvals.kind.case_change",
        "病例状态变更",
        "Change of case status",
    ),
    (
        "approvals.kind.quarantine_end",
        "缩短隔离期限",
        "Shorter quarantine",
    ),
    (
        "approvals.kind.risk_area_change",
        "风险地区放宽",
        "Risk area relaxed",
    ),
    ("approvals.nav", "待复核", "Approvals"),
    (
        "risk.done.requested",
        "已提交：降低风险等级或结束风险地区须另一名有权限的人员复核同意后生效。",
        "Requested: lowering or ending a risk area takes effect once another authorised person approves it.",
    ),
    (
        "quarantine.done.end_requested",
        "已提交缩短隔离期限的申请，待指定复核人在本人账号中复核同意后生效。",
        "The shorter quarantine is requested; it takes effect once the named reviewer approves it from their own account.",
    ),
    ("pay.title", "确认支付", "Confirm the payment"),
    (
        "pay.check",
        "请核对金额和收款企业；确认后将写入支付台账，不可撤回。",
        "Check the amount and the payee; once confirmed the payment enters the ledger and cannot be undone.",
    ),
    ("pay.payout", "兑付编号", "Payout"),
    ("pay.policy", "政策", "Policy"),
    ("pay.payee", "收款企业", "Payee"),
    ("pay.credit_code", "统一社会信用代码", "Credit code"),
    ("pay.amount", "金额（元）", "Amount (yuan)"),
    ("pay.confirm", "确认支付", "Confirm and pay"),
    ("pay.cancel", "返回", "Back"),
    (
        "rev.first_approval",
        "已作为第一审核人同意；金额超过双人审批额度，须另一名审核人同意。",
        "Approved as first reviewer; above the two-approver amount another reviewer must approve.",
    ),
    (
        "rev.duties",
        "申请人、审核人与支付人须为不同的人；超过双人审批额度的须两名审核人同意。",
        "Submitter, approvers and payer are different people; above the two-approver amount two reviewers approve.",
    ),
];
