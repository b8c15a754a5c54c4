//! Placement as a pure function: given a snapshot of container instances and
//! a request, decide where tasks go (binpack, spread, random; distinctInstance
//! and memberOf with the cluster query language) or say why they cannot.
