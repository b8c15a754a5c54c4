//! The AWS JSON 1.1 edge: parses `X-Amz-Target` into an operation, wire
//! shapes into the domain model, and domain errors into AWS error bodies.
