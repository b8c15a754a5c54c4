//! What ListContainerInstances answers from the cluster's view holds this
//! server's own writes of instances as soon as they are answered, not only
//! once the store's watch brings them: here the watch brings nothing at all.

use std::sync::Arc;

use berth_api::Api;
use berth_api::agent::AssignmentHub;
use berth_control::instances::Registration;
use berth_control::{Control, ControlConfig};
use berth_model::arn::Scope;
use berth_model::container_instance::Resources;
use berth_registry::{LocalBlobStore, Registry, RegistryConfig, TokenAuthority};
use berth_state::State;
use berth_state::clock::SystemClock;
use berth_store::{
    KeyRange, KeyValue, Kv, Limits, MemoryKv, RangeResult, Revision, StoreError, Txn, TxnResult,
    WatchStream,
};
use bytes::Bytes;
use serde_json::{Value, json};

const CLUSTER: &str = "writes";

/// An in-memory store whose watches never deliver an event.
struct SilentWatches(MemoryKv);

#[async_trait::async_trait]
impl Kv for SilentWatches {
    async fn get(&self, key: &[u8]) -> Result<Option<KeyValue>, StoreError> {
        self.0.get(key).await
    }

    async fn range(&self, range: &KeyRange, limit: usize) -> Result<RangeResult, StoreError> {
        self.0.range(range, limit).await
    }

    async fn txn(&self, txn: Txn) -> Result<TxnResult, StoreError> {
        self.0.txn(txn).await
    }

    fn limits(&self) -> Limits {
        self.0.limits()
    }

    async fn revision(&self) -> Result<Revision, StoreError> {
        self.0.revision().await
    }

    async fn watch(&self, _range: KeyRange, _from: Revision) -> Result<WatchStream, StoreError> {
        Ok(Box::pin(futures::stream::pending()))
    }

    async fn compact(&self, revision: Revision) -> Result<(), StoreError> {
        self.0.compact(revision).await
    }
}

async fn api(blob_dir: &std::path::Path) -> Api {
    let kv: Arc<dyn Kv> = Arc::new(SilentWatches(MemoryKv::new()));
    let blobs = LocalBlobStore::open(blob_dir, 1 << 20)
        .await
        .expect("blob store");
    let authority = TokenAuthority::new(b"secret", Arc::new(berth_registry::SystemClock));
    Api {
        control: Control::new(
            State::new(kv.clone()),
            Scope::new("us-east-1", "000000000000"),
            Arc::new(SystemClock),
            ControlConfig::default(),
        ),
        hub: AssignmentHub::start(kv.clone()).await.expect("hub"),
        definitions: Default::default(),
        definition_records: Default::default(),
        registry: Arc::new(Registry::new(
            kv,
            Arc::new(blobs),
            RegistryConfig::new(authority),
        )),
        registry_host: "127.0.0.1:0".to_owned(),
    }
}

async fn call(api: &Api, operation: &str, input: Value) -> Value {
    let body = Bytes::from(input.to_string());
    let output = berth_api::ecs::handle(api, operation, &body)
        .await
        .unwrap_or_else(|error| panic!("{operation}: {error:?}"));
    serde_json::from_slice(&output).expect("JSON")
}

async fn listed(api: &Api, filter: Option<&str>, status: Option<&str>) -> usize {
    let mut input = json!({"cluster": CLUSTER});
    if let Some(filter) = filter {
        input["filter"] = json!(filter);
    }
    if let Some(status) = status {
        input["status"] = json!(status);
    }
    let output = call(api, "ListContainerInstances", input).await;
    output["containerInstanceArns"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn instance_writes_list_before_the_watch_brings_them() {
    let blob_dir = tempfile::tempdir().expect("temp dir");
    let api = api(blob_dir.path()).await;
    call(&api, "CreateCluster", json!({"clusterName": CLUSTER})).await;
    let instance = api
        .control
        .register_instance(Registration {
            cluster: CLUSTER.to_owned(),
            host_id: "i-0123456789abcdef0".to_owned(),
            instance_id: None,
            resources: Resources {
                cpu: 1_024,
                memory_mib: 1_024,
                tcp_ports: Vec::new(),
                udp_ports: Vec::new(),
            },
            attributes: Vec::new(),
            agent_version: "1.80.0".to_owned(),
            docker_version: "24.0.7".to_owned(),
        })
        .await
        .expect("registered");
    let arn = api
        .control
        .scope
        .container_instance_arn(CLUSTER, &instance.id);
    // The first listing with a status loads the view, from the store.
    assert_eq!(listed(&api, None, Some("ACTIVE")).await, 1);

    call(
        &api,
        "UpdateContainerInstancesState",
        json!({"cluster": CLUSTER, "containerInstances": [arn], "status": "DRAINING"}),
    )
    .await;
    assert_eq!(listed(&api, None, Some("DRAINING")).await, 1);
    assert_eq!(listed(&api, None, Some("ACTIVE")).await, 0);

    let attribute = json!([{"name": "team", "value": "web", "targetId": arn}]);
    call(
        &api,
        "PutAttributes",
        json!({"cluster": CLUSTER, "attributes": attribute}),
    )
    .await;
    assert_eq!(listed(&api, Some("attribute:team == web"), None).await, 1);
    call(
        &api,
        "DeleteAttributes",
        json!({"cluster": CLUSTER, "attributes": attribute}),
    )
    .await;
    assert_eq!(listed(&api, Some("attribute:team exists"), None).await, 0);

    call(
        &api,
        "TagResource",
        json!({"resourceArn": arn, "tags": [{"key": "owner", "value": "ops"}]}),
    )
    .await;
    let view = api.control.views.loaded(CLUSTER).expect("loaded");
    let tags = view
        .instance(&instance.id)
        .map(|(instance, _)| instance.tags)
        .unwrap_or_default();
    assert_eq!(tags.len(), 1, "{tags:?}");
}
