//! Reading a process's cost from Linux `/proc`: CPU time (utime + stime)
//! from `/proc/<pid>/stat`, resident memory (VmRSS) from
//! `/proc/<pid>/status`, and the clock-tick rate that CPU time is counted in.

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux when unknown).
pub fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|ticks| *ticks > 0)
        .unwrap_or(100)
}

/// The `VmRSS:` value of a `/proc/<pid>/status` text, in KiB.
pub(crate) fn vm_rss_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let mut words = line["VmRSS:".len()..].split_whitespace();
    let value = words.next()?.parse().ok()?;
    (words.next() == Some("kB")).then_some(value)
}

/// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line. The
/// command name (field 2) may hold spaces and parentheses, so fields are
/// counted from the last `)`.
pub(crate) fn cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_utime_plus_stime_even_with_an_odd_command_name() {
        let stat = "4242 (ser ver) (x)) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 9 0";
        assert_eq!(cpu_ticks(stat), Some(1234 + 567));
        assert_eq!(cpu_ticks("4242 (server) S 1"), None);
    }

    #[test]
    fn resident_memory_is_read_from_the_vmrss_line() {
        let status = "Name:\tserver\nVmPeak:\t  900 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(vm_rss_kib(status), Some(12345));
        assert_eq!(vm_rss_kib("Name:\tserver\n"), None);
        assert_eq!(vm_rss_kib("VmRSS:\t12 MB\n"), None, "only kB is understood");
    }

    #[test]
    fn this_process_has_cpu_time_and_a_resident_size() {
        let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux /proc");
        assert!(cpu_ticks(&stat).is_some());
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
        assert!(vm_rss_kib(&status).is_some_and(|kib| kib > 0));
        assert!(clock_ticks_per_second() > 0);
    }
}
