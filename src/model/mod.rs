//! The module graph: parts, modules, the plan that holds them, toggles and recombination.

/// Builder setters that only replace one field: `with_x(value: T) sets field;` gives
/// `#[must_use] pub fn with_x(mut self, value: T) -> Self`, which stores `value` in `field` and
/// hands the builder back; `with_x(value: T) sets Some(field);` stores `Some(value)` in an
/// optional field. A builder that borrows names its lifetime (`Page<'a> { … }`). The docs of each
/// come with the invocation.
macro_rules! setters {
    ($ty:ident $(<$lt:lifetime>)? { $($(#[$meta:meta])* $name:ident($param:ident: $param_ty:ty) sets $field:ident;)+ }) => {
        impl$(<$lt>)? $ty$(<$lt>)? {
            $(
                $(#[$meta])*
                #[must_use]
                pub fn $name(mut self, $param: $param_ty) -> Self {
                    self.$field = $param;
                    self
                }
            )+
        }
    };
    ($ty:ident $(<$lt:lifetime>)? { $($(#[$meta:meta])* $name:ident($param:ident: $param_ty:ty) sets Some($field:ident);)+ }) => {
        impl$(<$lt>)? $ty$(<$lt>)? {
            $(
                $(#[$meta])*
                #[must_use]
                pub fn $name(mut self, $param: $param_ty) -> Self {
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
