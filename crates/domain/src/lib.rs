//! zhikong's domain: the value types that can only be built valid, the area tree, roles and
//! person categories. Pure: no I/O, no clock except where a caller passes one.

pub mod area;
pub mod case;
pub mod checkpoint;
pub mod command;
pub mod credit_code;
pub mod division;
pub mod economy;
pub mod enterprise;
pub mod error;
pub mod mask;
pub mod person;
pub mod phone;
pub mod quarantine;
pub mod resident_id;
pub mod role;
pub mod rules;
pub mod scan;
pub mod time;
pub mod tracing;

pub use area::{AreaCode, AreaKind};
pub use checkpoint::CheckpointKind;
pub use credit_code::CreditCode;
pub use error::ValueError;
pub use person::{PersonCategory, PersonName};
pub use phone::Phone;
pub use resident_id::ResidentId;
pub use role::{Right, Role};
