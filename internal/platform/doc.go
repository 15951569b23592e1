// Package platform reads the platforms of Cylc 8's global configuration
// (global.cylc, sections [platforms] and [platform groups]) and answers the
// question the scheduler asks before every job submission: which platform
// does this task use, and which host of it?
//
// The semantics follow Cylc 8.7 (cylc/flow/cfgspec/globalcfg.py and
// cylc/flow/platforms.py):
//
//   - the file is found the way Cylc finds it: $CYLC_CONF_PATH/global.cylc
//     alone, or else the site files under $CYLC_SITE_CONF_PATH (default
//     /etc/cylc) and then the user files under ~/.cylc, each in the
//     version-specific sub-directories ("", "8", "8.7", "8.7.0"), later files
//     overriding earlier ones;
//   - platform names are regular expressions matched against the whole name,
//     searched from the last defined to the first; "localhost" is always
//     defined, may be overridden by a [[localhost]] section but never by a
//     regular expression;
//   - a comma separated heading [[a, b]] defines each platform in the list;
//   - a platform group name resolves to one of its member platforms by the
//     group's selection method;
//   - Cylc 7 tasks without a platform are mapped to one from their
//     [remote]host and [job]batch system.
//
// Everything a caller needs from the environment (variables, home directory,
// the names of this host, randomness) comes in as an argument, so that tests
// never read the real ~ and lookups are deterministic when they need to be.
// The package reads files but starts no processes and makes no network
// calls: whether a host name that is not "localhost" names this machine is
// for the caller to say (Options.LocalHost).
package platform
