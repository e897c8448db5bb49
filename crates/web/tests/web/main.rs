//! The web integration tests, in one binary (one link, one shared demo server).

mod api;
mod areas_admin;
mod browser;
mod checkpoints;
mod codes;
mod command;
mod common;
mod economy;
mod enterprise;
mod enterprise_api;
mod enterprise_manage;
mod jobs;
mod outage;
mod pages;
mod quarantine;
mod risk_areas;
mod station;
