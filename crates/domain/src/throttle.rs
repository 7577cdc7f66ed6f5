//! Throttling of the requests that guess or spam: logins (per client address and per account),
//! registrations and password-reset requests (per client address, and reset mails per address).
//!
//! Keyed GCRA limits from the `governor` crate: each key has a burst and refills at a steady
//! rate, so a limit slows a key down to its rate and never bans it. That matters for the per-
//! account limit: someone hammering a victim's account costs the victim a few seconds of wait,
//! not a lockout. State is kept per instance, in memory; with several instances behind a load
//! balancer each enforces its own (documented in the README).

use super::config::Limits;
use super::error::Error;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// What a client is trying to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Login,
    Register,
    ResetRequest,
}

pub struct Throttle {
    login_by_client: DefaultKeyedRateLimiter<IpAddr>,
    login_by_account: DefaultKeyedRateLimiter<String>,
    register_by_client: DefaultKeyedRateLimiter<IpAddr>,
    reset_by_client: DefaultKeyedRateLimiter<IpAddr>,
    reset_by_address: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

fn per_hour(n: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

/// The key of a client address: IPv6 clients by their /64 (one household or server has a whole
/// /64), IPv4-mapped IPv6 as the IPv4 address.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
        v4 => v4,
    }
}

impl Throttle {
    pub fn new(limits: &Limits) -> Self {
        Self {
            login_by_client: RateLimiter::dashmap(per_minute(limits.login_per_client)),
            login_by_account: RateLimiter::dashmap(per_minute(limits.login_per_account)),
            register_by_client: RateLimiter::dashmap(per_hour(limits.register_per_client)),
            reset_by_client: RateLimiter::dashmap(per_hour(limits.reset_per_client)),
            reset_by_address: RateLimiter::dashmap(per_hour(limits.reset_per_address)),
            clock: DefaultClock::default(),
        }
    }

    fn verdict<K: std::hash::Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), Error> {
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            Error::TooManyRequests {
                retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }
        })
    }

    /// Counts an attempt from `client`; past the client's rate, `TooManyRequests`.
    pub fn client(&self, attempt: Attempt, client: IpAddr) -> Result<(), Error> {
        let limiter = match attempt {
            Attempt::Login => &self.login_by_client,
            Attempt::Register => &self.register_by_client,
            Attempt::ResetRequest => &self.reset_by_client,
        };
        self.verdict(limiter, &client_key(client))
    }

    /// Counts an attempt on an account (a login) or an address (a reset mail), named by its
    /// lower-case e-mail address whether or not it exists.
    pub fn account(&self, attempt: Attempt, email: &str) -> Result<(), Error> {
        let limiter = match attempt {
            Attempt::Login => &self.login_by_account,
            Attempt::ResetRequest => &self.reset_by_address,
            Attempt::Register => return Ok(()),
        };
        self.verdict(limiter, &email.trim().to_lowercase())
    }

    /// Forgets the keys that are back to a full burst, so memory follows recent activity.
    pub fn prune(&self) {
        self.login_by_client.retain_recent();
        self.login_by_account.retain_recent();
        self.register_by_client.retain_recent();
        self.reset_by_client.retain_recent();
        self.reset_by_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_burst_then_a_wait_that_is_said() {
        let limits = Limits {
            login_per_account: 3,
            ..Limits::default()
        };
        let throttle = Throttle::new(&limits);
        for _ in 0..3 {
            throttle.account(Attempt::Login, "Ann@Example.com").unwrap();
        }
        match throttle.account(Attempt::Login, "ann@example.com") {
            Err(Error::TooManyRequests { retry_after }) => {
                assert!((1..=20).contains(&retry_after), "{retry_after}")
            }
            other => panic!("{other:?}"),
        }
        assert!(throttle.account(Attempt::Login, "bob@example.com").is_ok());
    }
}
