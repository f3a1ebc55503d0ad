#pragma once
/// \file
/// The time types of `<chrono>` the library's headers use (`duration`, `time_point`,
/// `system_clock`, `steady_clock`, `sys_time`), without the rest of `<chrono>`.
///
/// libstdc++ 12 defines these in `<bits/chrono.h>`; `<chrono>` adds the calendar, time zones and
/// stream output (with `<sstream>`), which cost every translation unit that includes the repo
/// about 0.1 s and 15 MiB. Other standard libraries get `<chrono>`. Code that uses the calendar
/// (`std::chrono::year_month_day`, `sys_days`, `floor`) includes `<chrono>` itself.

#include <cstddef>  // defines __GLIBCXX__ and _GLIBCXX_RELEASE with libstdc++

#if defined(__GLIBCXX__) && defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE >= 12 && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <chrono>
#endif
