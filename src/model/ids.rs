//! Typed, reproducible identifiers.
//!
//! Every part and module has a `uuid`. Ids the library creates are name-based (UUID v5) and
//! derived from the kind and the human key, so the same script always produces the same ids and two
//! runs of a plan can be diffed.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The namespace under which offergraph derives name-based ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f66_6665_7267_7261_7068_2d69_6473_0001);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The reproducible id for `key`: a UUID v5 of the kind and the key.
            ///
            /// The same key always gives the same id; different kinds never collide.
            pub fn from_key(key: &str) -> Self {
                let mut name = String::with_capacity($kind.len() + 1 + key.len());
                name.push_str($kind);
                name.push(':');
                name.push_str(key);
                $name(Uuid::new_v5(&NAMESPACE, name.as_bytes()))
            }

            /// Wraps an existing uuid (for example one read from a plan file).
            pub const fn from_uuid(id: Uuid) -> Self {
                $name(id)
            }

            /// The underlying uuid.
            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Id of an audience [`Segment`](crate::Segment).
    ///
    /// ```
    /// use offergraph::ids::SegmentId;
    /// assert_eq!(SegmentId::from_key("families"), SegmentId::from_key("families"));
    /// assert_ne!(SegmentId::from_key("families"), SegmentId::from_key("investors"));
    /// ```
    SegmentId,
    "segment"
);
id_type!(
    /// Id of a [`ValueProposition`](crate::ValueProposition).
    ///
    /// ```
    /// use offergraph::ids::PropositionId;
    /// let id = PropositionId::from_key("playground");
    /// assert_eq!(PropositionId::from_uuid(id.uuid()), id);
    /// ```
    PropositionId,
    "proposition"
);
id_type!(
    /// Id of an [`Offer`](crate::Offer).
    ///
    /// ```
    /// use offergraph::ids::OfferId;
    /// assert_eq!(OfferId::from_key("2-room").uuid().get_version_num(), 5);
    /// ```
    OfferId,
    "offer"
);
id_type!(
    /// Id of a [`Channel`](crate::Channel).
    ///
    /// ```
    /// use offergraph::ids::ChannelId;
    /// assert_eq!(ChannelId::from_key("search").to_string().len(), 36);
    /// ```
    ChannelId,
    "channel"
);
id_type!(
    /// Id of a [`Module`](crate::Module).
    ///
    /// ```
    /// use offergraph::ids::{ModuleId, SegmentId};
    /// // Kinds are part of the name, so equal keys of different kinds differ.
    /// assert_ne!(ModuleId::from_key("x").uuid(), SegmentId::from_key("x").uuid());
    /// ```
    ModuleId,
    "module"
);

macro_rules! into_uuid {
    ($($t:ident),*) => {$(
        impl From<$t> for Uuid {
            fn from(id: $t) -> Uuid {
                id.0
            }
        }
    )*};
}
into_uuid!(SegmentId, PropositionId, OfferId, ChannelId, ModuleId);
