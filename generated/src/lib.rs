//! Typed async client for the CircleCI REST API v2.
