# make_reference.R writes reference.json for TestJusticeFixtureAgainstR
# (analyses/justice_test.go): recidivism as the WODC Recidivemonitor counts
# it, recomputed in plain R from the fixture's canonical rows
# (trajectories.csv, events.csv, exports.csv in this folder), independently
# of the Go code: it reads the rules from analyses/doc.go ("Criminal cases",
# "Cut-off and extraction"), not from the SQL.
#
# Run from the repository root or from this folder:
#
#     Rscript analyses/testdata/justice/make_reference.R
#
# Needs base R and the recommended package survival. The study settings are
# those of the test: cut-off 2025-12-31, registration lag 6 months, offence
# date counts (a second block recomputes general recidivism with the
# registration date), non-counting disposals acquittal, technical_dismissal,
# other_technical, windows of 12 months for every definition.

suppressPackageStartupMessages(library(survival))

here <- if (dir.exists("analyses/testdata/justice")) "analyses/testdata/justice" else "."
root <- if (here == ".") file.path("..", "..", "..") else "."
source(file.path(root, "analyses", "stats", "testdata", "json.R"))

cutoff <- as.Date("2025-12-31")
lag <- 6
window <- 12
non_counting <- c("acquittal", "technical_dismissal", "other_technical")
tiers <- c(minor = 1, serious = 2, very_serious = 3)

# add_months adds whole months with the day clamped to the month's end.
add_months <- function(d, m) {
  d <- as.Date(d)
  y <- as.integer(format(d, "%Y")); mo <- as.integer(format(d, "%m")) + m; day <- as.integer(format(d, "%d"))
  y <- y + (mo - 1) %/% 12; mo <- (mo - 1) %% 12 + 1
  first <- as.Date(sprintf("%04d-%02d-01", y, mo))
  nxt <- as.Date(sprintf("%04d-%02d-01", y + mo %/% 12, mo %% 12 + 1))
  last <- as.integer(format(nxt - 1, "%d"))
  first + (pmin(day, last) - 1)
}

rd <- function(f) read.csv(file.path(here, f), colClasses = "character", na.strings = "")
traj <- rd("trajectories.csv")
ev <- rd("events.csv")
ex <- rd("exports.csv")
for (c in c("start", "end", "release")) traj[[c]] <- as.Date(traj[[c]])
for (c in c("date", "registration_date", "end")) ev[[c]] <- as.Date(ev[[c]])

# Extraction: declared, else the latest date of the export's rows.
ex$extraction <- as.Date(ex$declared_extraction)
for (i in seq_len(nrow(ex))) if (is.na(ex$extraction[i])) {
  if (ex$kind[i] == "events") {
    r <- ev[ev$file == ex$file_id[i], ]
    ex$extraction[i] <- max(c(r$date, r$registration_date, r$end), na.rm = TRUE)
  } else {
    ex$extraction[i] <- max(c(traj$start, traj$end, traj$release), na.rm = TRUE)
  }
}
ev$extraction <- ex$extraction[match(ev$file, ex$file_id)]
# Follow-up end: the cut-off, or the earliest extraction of the exports with
# offences minus the lag when earlier.
producers <- unique(ev$file[ev$event_type == "offence"])
follow_end <- min(cutoff, add_months(min(ex$extraction[ex$file_id %in% producers]), -lag))

# Reference date per trajectory: release; else an end on or before the
# cut-off; else the start (still running). Only those on or before the cut-off.
traj$ref <- ifelse(!is.na(traj$release), traj$release,
                   ifelse(!is.na(traj$end) & traj$end <= cutoff, traj$end, traj$start))
traj$ref <- as.Date(traj$ref, origin = "1970-01-01")
traj <- traj[traj$ref <= cutoff, ]

# Cases.
cases_of <- function(count_date) {
  o <- ev[ev$event_type == "offence", ]
  o <- o[is.na(o$disposal) | !(o$disposal %in% non_counting), ]
  o <- o[is.na(o$registration_date) | o$registration_date <= o$extraction, ]
  o$key <- ifelse(is.na(o$case_id), paste("row", o$file, o$line), o$case_id)
  o$cdate <- if (count_date == "offence_date") o$date else ifelse(is.na(o$registration_date), o$date, o$registration_date)
  o$cdate <- as.Date(o$cdate, origin = "1970-01-01")
  o$rank <- ifelse(is.na(o$seriousness), 0, tiers[o$seriousness])
  keys <- unique(paste(o$person, o$key))
  do.call(rbind, lapply(keys, function(k) {
    r <- o[paste(o$person, o$key) == k, ]
    top <- max(r$rank)
    data.frame(person = r$person[1], date = min(r$cdate), tier = top,
               type = sort(r$offence_type[r$rank == top])[1])
  }))
}

ending <- ev[ev$event_type %in% c("death", "emigration"), ]
spells <- ev[ev$event_type == "detention" & ev$date <= cutoff & ev$date <= ev$extraction, ]
spells$stop <- pmin(ifelse(is.na(spells$end), cutoff, spells$end), cutoff)

persons <- sort(unique(traj$person))
index_ref <- sapply(persons, function(p) min(traj$ref[traj$person == p]))

liberty <- function(p, ref, wend) {
  e <- ending$date[ending$person == p & ending$date > ref & ending$date <= cutoff]
  stop <- if (length(e) > 0) min(wend, min(e)) else wend
  days <- as.numeric(stop - ref)
  s <- spells[spells$person == p, ]
  # spells in the fixture do not overlap
  for (i in seq_len(nrow(s))) {
    a <- max(s$date[i], ref); b <- min(as.Date(s$stop[i], origin = "1970-01-01"), stop)
    if (b > a) days <- days - as.numeric(b - a)
  }
  days
}

definitions <- list(
  general = list(tier = 0, same = FALSE, custodial = FALSE),
  serious = list(tier = 2, same = FALSE, custodial = FALSE),
  very_serious = list(tier = 3, same = FALSE, custodial = FALSE),
  specific = list(tier = 0, same = TRUE, custodial = FALSE),
  custodial = list(tier = 0, same = FALSE, custodial = TRUE))

rows <- character()
cases <- cases_of("offence_date")
cases <- cases[cases$date <= cutoff, ]
index_type <- sapply(persons, function(p) {
  c <- cases[cases$person == p & cases$date <= as.Date(index_ref[[p]], origin = "1970-01-01"), ]
  if (nrow(c) == 0) NA else c$type[which.max(c$date)]
})
entries <- rbind(
  data.frame(person = persons, ref = as.Date(unlist(index_ref), origin = "1970-01-01"), cohort = 0L),
  do.call(rbind, lapply(persons, function(p) {
    r <- traj$ref[traj$person == p]
    y <- as.integer(format(r, "%Y"))
    data.frame(person = p, ref = as.Date(tapply(r, y, min), origin = "1970-01-01"), cohort = as.integer(sort(unique(y))))
  })))
cohorts <- c(0L, sort(unique(entries$cohort[entries$cohort > 0])))
for (dn in names(definitions)) {
  d <- definitions[[dn]]
  for (co in cohorts) {
    e <- entries[entries$cohort == co, ]
    partial <- co > 0 && add_months(as.Date(sprintf("%d-12-31", co)), window) > follow_end
    n <- 0; hit <- 0; k <- 0; years <- 0
    for (i in seq_len(nrow(e))) {
      p <- e$person[i]; ref <- e$ref[i]; wend <- add_months(ref, window)
      if (wend > follow_end) next
      n <- n + 1
      if (d$custodial) {
        h <- sum(spells$person == p & spells$date > ref & spells$date <= wend)
      } else {
        c <- cases[cases$person == p & cases$date > ref & cases$date <= wend & cases$tier >= d$tier, ]
        if (d$same) c <- c[!is.na(index_type[[p]]) & c$type == index_type[[p]], ]
        h <- nrow(c)
      }
      hit <- hit + (h > 0); k <- k + h
      years <- years + liberty(p, ref, wend) / 365.25
    }
    pt <- if (years > 0) poisson.test(k, years) else NULL
    ci <- if (n > 0) suppressWarnings(prop.test(hit, n, correct = FALSE))$conf.int else c(NA, NA)
    rows <- c(rows, jobj(definition = jstr(dn), cohort = jnum(co), partial = jnum(partial), n = jnum(as.integer(n)),
      events = jnum(as.integer(hit)), ci_lower = jnum(ci[1]), ci_upper = jnum(ci[2]), cases = jnum(as.integer(k)),
      years = jnum(years), per_year = jnum(if (years > 0) k / years else NA),
      per_year_lower = jnum(if (is.null(pt)) NA else pt$conf.int[1]), per_year_upper = jnum(if (is.null(pt)) NA else pt$conf.int[2])))
  }
}

# Subjects of the headline (general) outcome, and the Aalen–Johansen
# cumulative incidence with death and emigration competing.
subject_rows <- character()
time <- numeric(); status <- integer()
for (p in persons) {
  ref <- as.Date(index_ref[[p]], origin = "1970-01-01")
  c <- cases$date[cases$person == p & cases$date > ref]
  first <- if (length(c) > 0) min(c) else NA
  e <- ending$date[ending$person == p & ending$date > ref & ending$date <= cutoff]
  end <- if (length(e) > 0) min(e) else NA
  subject_rows <- c(subject_rows, jobj(person = jstr(p), ref = jstr(format(ref)),
    first_event = if (is.na(first)) "null" else jstr(format(first)),
    ending = if (is.na(end)) "null" else jstr(format(end)),
    index_type = if (is.na(index_type[[p]])) "null" else jstr(index_type[[p]])))
  if (ref > follow_end) next
  t <- as.numeric(follow_end - ref); s <- 0L
  if (!is.na(end) && end <= follow_end) { t <- as.numeric(end - ref); s <- 2L }
  if (!is.na(first) && first <= follow_end && (s == 0L || first <= end)) { t <- as.numeric(first - ref); s <- 1L }
  time <- c(time, t); status <- c(status, s)
}
fit <- survfit(Surv(time, factor(status, levels = 0:2, labels = c("censored", "recidivism", "competing"))) ~ 1)
aj <- jobj(time = jarr(fit$time), at_risk = jarr(fit$n.risk[, 1]), cif = jarr(fit$pstate[, 2]), cif_competing = jarr(fit$pstate[, 3]))

# General recidivism with the registration date counting.
reg <- cases_of("registration_date")
reg <- reg[reg$date <= cutoff, ]
reg_n <- 0; reg_hit <- 0
for (p in persons) {
  ref <- as.Date(index_ref[[p]], origin = "1970-01-01"); wend <- add_months(ref, window)
  if (wend > follow_end) next
  reg_n <- reg_n + 1
  reg_hit <- reg_hit + any(reg$person == p & reg$date > ref & reg$date <= wend)
}

out <- paste0("{\n",
  "\"follow_end\":", jstr(format(follow_end)), ",\n",
  "\"extraction\":", jsarr(format(ex$extraction)), ",\n",
  "\"definitions\":[\n", paste(rows, collapse = ",\n"), "\n],\n",
  "\"subjects\":[\n", paste(subject_rows, collapse = ",\n"), "\n],\n",
  "\"incidence\":", aj, ",\n",
  "\"registration_general\":", jobj(n = jnum(as.integer(reg_n)), events = jnum(as.integer(reg_hit))), "\n}\n")
writeLines(out, file.path(here, "reference.json"), sep = "")
