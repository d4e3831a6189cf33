//! The module graph: parts, modules, the plan that holds them, toggles and recombination.

/// Builder setters that only replace one field: `with_x(value: T) sets field;` gives
/// `#[must_use] pub fn with_x(mut self, value: T) -> Type`, which stores `value` in `field` and
/// hands the builder back; `with_x(value: T) sets Some(field);` stores `Some(value)` in an
/// optional field. The docs of each come with the invocation.
macro_rules! setters {
    ($ty:ident { $($(#[$meta:meta])* $name:ident($param:ident: $param_ty:ty) sets $field:ident;)+ }) => {
        impl $ty {
            $(
                $(#[$meta])*
                #[must_use]
                pub fn $name(mut self, $param: $param_ty) -> $ty {
                    self.$field = $param;
                    self
                }
            )+
        }
    };
    ($ty:ident { $($(#[$meta:meta])* $name:ident($param:ident: $param_ty:ty) sets Some($field:ident);)+ }) => {
        impl $ty {
            $(
                $(#[$meta])*
                #[must_use]
                pub fn $name(mut self, $param: $param_ty) -> $ty {
                    self.$field = Some($param);
                    self
                }
            )+
        }
    };
}
pub(crate) use setters;

mod edit;
pub(crate) mod ids;
pub(crate) mod module;
pub(crate) mod parts;
pub(crate) mod plan;
pub(crate) mod policy;
mod recombine;
pub(crate) mod rule;
pub(crate) mod select;
mod syntax;
mod table;
mod toggle;
pub mod units;

pub use edit::{Removal, Removed};
pub use recombine::Variant;
pub use toggle::OffReason;
