//! Electoral systems beyond one nationwide contest: districts (one and two tiers),
//! mixed systems, biproportional apportionment, apportionment of a house among
//! districts, and [`system::System`], which holds an election under any of them.

pub mod apportionment;
pub mod biproportional;
pub mod district;
pub mod mixed;
pub mod system;
