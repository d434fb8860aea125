//! AWS Clean Rooms knowledge for the conformance suite: the service catalogue of the services
//! Clean Rooms policies touch (actions, resource types with ARN templates, condition keys).

pub mod catalogue;
pub mod lint;
pub mod policies;
pub mod scenario;

pub use catalogue::{Catalogue, CatalogueError};
