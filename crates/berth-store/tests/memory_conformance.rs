//! Runs the conformance suite against `MemoryKv`.

use berth_store::MemoryKv;

async fn new_store() -> (MemoryKv, ()) {
    (MemoryKv::new(), ())
}

berth_store::conformance_tests!(new_store);
