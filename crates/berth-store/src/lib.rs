//! Berth's storage: the [`Kv`] contract every backend implements (revisions,
//! compare-and-swap transactions, prefix ranges and watches, the model etcd
//! offers), the backends themselves, and typed repositories on top.

pub mod kv;

pub use kv::{
    Compare, Condition, Event, EventKind, KeyRange, KeyValue, Kv, Op, RangeResult, Revision,
    StoreError, Txn, TxnResult, WatchStream,
};
