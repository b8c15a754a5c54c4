//! Berth's storage: the [`Kv`] contract every backend implements (revisions,
//! compare-and-swap transactions, prefix ranges and watches, the model etcd
//! offers), the backends themselves, and the conformance suite they all pass.

mod apply;
pub mod embedded;
mod history;
pub mod kv;
pub mod limits;
pub mod memory;
mod watch;

pub use embedded::{Embedded, EmbeddedOptions};
pub use kv::{
    Compare, Condition, Event, EventKind, KeyRange, KeyValue, Kv, Op, RangeResult, Revision,
    StoreError, Txn, TxnResult, WatchStream,
};
pub use limits::Limits;
pub use memory::MemoryKv;

#[cfg(feature = "conformance")]
pub mod conformance;
