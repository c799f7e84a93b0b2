# make_demo_reference.R writes the R reference for TestDemoAgainstR
# (analyses/demo_reference_test.go): what analyses.Compute publishes for the
# bundled demo study, recomputed in R from the same subjects.
#
# Run from the repository root:
#
#     go test -tags duckdb_arrow -run TestDemoAgainstR ./analyses -update-demo-subjects && Rscript analyses/testdata/make_demo_reference.R
#
# The go test writes analyses/testdata/demo_subjects_<outcome>.csv, the
# subjects loadSubjects reads from the demo (programme, age — empty when
# unknown —, female, prior cases — empty when outside the justice coverage —, follow-up days, event, and per window
# closed_<w> and hit_<w>); this script reads them, plus the programme order of
# testdata/demo/study.yaml (it decides the Cox reference programme), and writes
# analyses/testdata/demo_reference.json. It needs base R and the recommended
# package survival only. JSON is written by analyses/stats/testdata/json.R
# (jsonlite is not assumed): numbers with 17 significant digits, NA/NaN as
# null, infinities as the strings "Inf"/"-Inf".
#
# What is computed, and which R call matches the Go definition:
#
#   - Kaplan–Meier per programme of an outcome with subjects:
#     survfit(Surv(days, event) ~ 1, conf.type = "log", conf.int = 0.95).
#     Steps are the rows of summary(fit) (one per event time; n.censor counts
#     the censorings since the previous event time); the standard error of
#     log S is fit$std.err at the event times. The median is
#     quantile(fit, 0.5, conf.int = TRUE).
#   - The at-risk table (SurvivalCurve.AtRisk) at months 0, 6, ..., 36. The day
#     of month m is Go's math.Round(m * 365.25 / 12), which rounds halves away
#     from zero: month 24 is day 731 (730.5 rounded up). R's round() rounds
#     halves to even (730), so the day here is floor(m * 365.25 / 12 + 0.5).
#     At risk at day t is the number with follow-up >= t (those with an event
#     or censored on day t count as at risk on it); events and censored are
#     cumulative up to and including day t. That is
#     summary(fit, times = days, extend = TRUE) with n.risk as is and
#     cumsum(n.event), cumsum(n.censor); the script checks these against the
#     direct counts sum(days >= t), sum(event & days <= t),
#     sum(!event & days <= t). surv, std.err, lower and upper at those days
#     come from the same call (the curve's value at the last event time <= t).
#   - Log-rank per outcome over the programmes with subjects:
#     survdiff(Surv(days, event) ~ programme), df = groups with a positive
#     expected count - 1, p = pchisq(chisq, df, lower.tail = FALSE).
#   - Cox per outcome, as computeCox builds it: the subjects of the curves;
#     covariates, in this order, an indicator per programme with subjects
#     other than the reference (the first such programme in study order),
#     the age bands (unknown its own band), sex:v (female) and the prior-case
#     bands (an empty prior cell is unknown), each factor without its most
#     populous band (the baseline); constant columns are dropped (and
#     listed); skipped with fewer than 10 events, no column left, or fewer
#     than 10 events per column. coxph(ties = "efron") with tightened control; hazard ratios, Wald
#     95% limits and Wald p-values from summary(fit).
#   - Adjusted rates per outcome and window, as computeAdjusted: the subjects
#     whose window has closed (closed_<w> = 1), outcome hit_<w>, the same
#     banded covariates without a programme term; constant columns dropped;
#     skipped with fewer than 10 persons with or without the outcome, no
#     column left, or fewer than 10 of either per column.
#     glm(family = binomial) with tightened control. Per programme with
#     persons: Observed = its share with the outcome, Expected = the mean
#     fitted probability of its persons, Overall = the share of all persons of
#     the model, Adjusted = Observed - Expected + Overall.
#   - Prevalence per programme and window over all cohorts: n = closed
#     subjects, events = those hit, the Wilson 95% interval
#     prop.test(events, n, correct = FALSE)$conf.int.
#
# Nothing here knows about disclosure control: the Go test skips what the
# results mark suppressed.

suppressPackageStartupMessages(library(survival))

root <- if (dir.exists("analyses/testdata")) "." else file.path("..", "..")
td <- file.path(root, "analyses", "testdata")
out <- file.path(td, "demo_reference.json")

source(file.path(root, "analyses", "stats", "testdata", "json.R"))

## ---- the study: programmes in study order, with their outcome -----------------------

study <- readLines(file.path(root, "testdata", "demo", "study.yaml"))
programmes <- data.frame(code = character(), outcome = character())
code <- NA
for (line in study) {
  if (grepl("^  - code: ", line)) code <- sub("^  - code: *([^ #]+).*$", "\\1", line)
  if (!is.na(code) && grepl("^    outcome: ", line)) {
    programmes <- rbind(programmes, data.frame(code = code,
      outcome = sub("^    outcome: *([^ #]+).*$", "\\1", line)))
    code <- NA
  }
}
stopifnot(nrow(programmes) > 0, !anyDuplicated(programmes$code))

outcomes <- unique(programmes$outcome)
outcomes <- outcomes[file.exists(file.path(td, paste0("demo_subjects_", outcomes, ".csv")))]
stopifnot(length(outcomes) > 0)

months <- c(0, 6, 12, 18, 24, 30, 36)          # atRiskMonths()
days_of <- function(m) floor(m * 365.25 / 12 + 0.5)   # Go's math.Round, halves away from zero
min_model_events <- 10                            # minModelEvents

min_per_parameter <- 10                           # minEventsPerParameter

# band returns x (NA = unknown) in the bands of analyses/adjust.go as a factor
# without empty levels whose baseline is its most populous band (the first
# among equals, which.max), as plan() chooses it.
band <- function(x, breaks, labels) {
  b <- as.character(cut(x, breaks = breaks, labels = labels, right = FALSE))
  b[is.na(x)] <- "unknown"
  f <- droplevels(factor(b, levels = c(labels, "unknown")))
  relevel(f, ref = names(which.max(table(f))))
}
age_bands <- list(breaks = c(-Inf, 18, 25, 30, 40, 50, Inf), labels = c("<18", "18-24", "25-29", "30-39", "40-49", "50+"))
prior_bands <- list(breaks = c(-Inf, 1, 2, 5, 11, Inf), labels = c("0", "1", "2-4", "5-10", "11+"))

# indicators returns a factor's columns other than the baseline, named
# "<name>:<band>" in band order, or NULL (and the name in dropped) when one band
# is present.
indicators <- function(f, name) {
  lv <- levels(f)[-1]                              # relevel keeps the others in band order
  if (length(lv) == 0) return(NULL)
  cols <- lapply(lv, function(l) as.numeric(f == l))
  names(cols) <- paste0(name, ":", lv)
  cols
}

# design returns the covariate matrix of d as computeAdjusted and computeCox
# build it (caseMix): the given leading columns, then the age bands (unknown a
# band of its own), sex:v and the prior-case bands, each factor without its
# baseline and without empty bands; a constant column, or a factor with one
# band present, is dropped (and listed).
design <- function(d, lead = list()) {
  age <- indicators(band(d$age, age_bands$breaks, age_bands$labels), "age")
  prior <- indicators(band(d$prior, prior_bands$breaks, prior_bands$labels), "prior_offences")
  plain <- c(lead, list("sex:v" = as.numeric(d$female)))
  constant <- vapply(plain, function(x) all(x == x[1]), TRUE)
  cols <- c(plain[names(plain) != "sex:v" & !constant], age, plain[names(plain) == "sex:v" & !constant], prior)
  dropped <- c(names(plain)[constant & names(plain) != "sex:v"], if (is.null(age)) "age",
               if (constant[["sex:v"]]) "sex:v", if (is.null(prior)) "prior_offences")
  x <- if (length(cols) > 0) do.call(cbind, cols) else NULL
  if (!is.null(x)) colnames(x) <- names(cols)
  list(x = x, dropped = dropped)
}

subject_items <- c(); curve_items <- c(); lr_items <- c(); cox_items <- c()
adj_items <- c(); prev_items <- c()

for (outcome in outcomes) {
  d <- read.csv(file.path(td, paste0("demo_subjects_", outcome, ".csv")),
                colClasses = c(programme = "character"), na.strings = "")
  stopifnot(all(d$programme %in% programmes$code))
  progs <- programmes$code[programmes$outcome == outcome]
  present <- progs[progs %in% d$programme]
  wins <- as.integer(sub("^closed_", "", grep("^closed_", names(d), value = TRUE)))
  subject_items <- c(subject_items, jobj(outcome = jstr(outcome), n = jnum(nrow(d))))

  ## Kaplan–Meier curves and the at-risk table.
  for (p in present) {
    g <- d[d$programme == p, ]
    fit <- survfit(Surv(days, event) ~ 1, data = g, conf.type = "log", conf.int = 0.95)
    s <- summary(fit)
    se_log <- fit$std.err[fit$n.event > 0]
    dd <- days_of(months)
    at <- summary(fit, times = dd, extend = TRUE)
    stopifnot(length(at$time) == length(dd), all(at$time == dd))
    n_risk <- at$n.risk; ev_cum <- cumsum(at$n.event); ce_cum <- cumsum(at$n.censor)
    stopifnot(n_risk == vapply(dd, function(t) sum(g$days >= t), 0),
              ev_cum == vapply(dd, function(t) sum(g$event == 1 & g$days <= t), 0),
              ce_cum == vapply(dd, function(t) sum(g$event == 0 & g$days <= t), 0))
    q <- quantile(fit, probs = 0.5, conf.int = TRUE)
    curve_items <- c(curve_items, jobj(outcome = jstr(outcome), programme = jstr(p),
      n = jnum(nrow(g)), events = jnum(sum(g$event)),
      steps = jobj(time = jarr(s$time), n_risk = jarr(s$n.risk), n_event = jarr(s$n.event),
        n_censor = jarr(s$n.censor), surv = jarr(s$surv), std_err = jarr(s$std.err),
        std_err_log = jarr(se_log), lower = jarr(s$lower), upper = jarr(s$upper)),
      at = jobj(month = jarr(months), day = jarr(dd), n_risk = jarr(n_risk), events = jarr(ev_cum),
        censored = jarr(ce_cum), surv = jarr(at$surv), std_err = jarr(at$std.err),
        lower = jarr(at$lower), upper = jarr(at$upper)),
      median = jarr(c(q$quantile, q$lower, q$upper))))
  }

  ## Log-rank over the programmes with subjects.
  if (length(present) >= 2) {
    grp <- factor(d$programme, levels = present)
    sd <- survdiff(Surv(d$days, d$event) ~ grp)
    df <- sum(sd$exp > 0) - 1
    lr_items <- c(lr_items, jobj(outcome = jstr(outcome), programmes = jsarr(present),
      chisq = jnum(sd$chisq), df = jnum(as.integer(df)),
      p = jnum(pchisq(sd$chisq, df, lower.tail = FALSE))))
  }

  ## Cox model.
  if (length(present) > 0) {
    lead <- list()
    for (p in present[-1]) lead[[paste0("programme:", p)]] <- as.numeric(d$programme == p)
    des <- design(d, lead)
    nevent <- sum(d$event)
    band_cols <- if (is.null(des$x)) character() else grep("^(age|prior_offences):", colnames(des$x), value = TRUE)
    empty_band <- any(vapply(band_cols, function(b) sum(d$event[des$x[, b] == 1]) == 0, TRUE))
    skipped <- nevent < min_model_events || is.null(des$x) || empty_band || nevent < min_per_parameter * ncol(des$x)
    terms <- character(); hr <- lo <- up <- pv <- numeric()
    if (!skipped) {
      x <- des$x
      fit <- coxph(Surv(d$days, d$event) ~ x, ties = "efron",
                   control = coxph.control(eps = 1e-14, toler.chol = 1e-15, iter.max = 100))
      sm <- summary(fit)
      terms <- colnames(x)
      hr <- sm$conf.int[, "exp(coef)"]; lo <- sm$conf.int[, "lower .95"]
      up <- sm$conf.int[, "upper .95"]; pv <- sm$coefficients[, "Pr(>|z|)"]
    }
    cox_items <- c(cox_items, jobj(outcome = jstr(outcome), reference = jstr(present[1]),
      n = jnum(nrow(d)), events = jnum(nevent), skipped = jnum(skipped),
      dropped = jsarr(des$dropped), terms = jsarr(terms), hr = jarr(hr), hr_lower = jarr(lo),
      hr_upper = jarr(up), p = jarr(pv)))
  }

  ## Adjusted rates and prevalence per window.
  for (w in wins) {
    closed <- d[[paste0("closed_", w)]] == 1
    hit <- d[[paste0("hit_", w)]] == 1
    m <- d[closed, ]
    y <- hit[closed]
    if (nrow(m) > 0) {
      des <- design(m)
      skipped <- sum(y) < min_model_events || sum(!y) < min_model_events || is.null(des$x) ||
        min(sum(y), sum(!y)) < min_per_parameter * ncol(des$x)
      fitted_p <- rep(NA_real_, nrow(m))
      if (!skipped) {
        x <- des$x
        fit <- glm(y ~ x, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
        stopifnot(fit$converged)
        fitted_p <- fitted(fit)
      }
      overall <- mean(y)
      for (p in progs) {
        in_p <- m$programme == p
        if (!any(in_p)) next
        obs <- mean(y[in_p])
        ex <- if (skipped) NA_real_ else mean(fitted_p[in_p])
        adj_items <- c(adj_items, jobj(outcome = jstr(outcome), programme = jstr(p), window = jnum(w),
          n = jnum(sum(in_p)), skipped = jnum(skipped), dropped = jsarr(des$dropped),
          observed = jnum(obs), expected = jnum(ex), overall = jnum(if (skipped) NA_real_ else overall),
          adjusted = jnum(obs - ex + overall)))
      }
    }
    for (p in progs) {
      sel <- closed & d$programme == p
      n <- sum(sel); x <- sum(hit & sel)
      ci <- if (n > 0) suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int else c(NA, NA)
      prev_items <- c(prev_items, jobj(outcome = jstr(outcome), programme = jstr(p), window = jnum(w),
        n = jnum(n), events = jnum(x), rate = jnum(if (n > 0) x / n else NA_real_),
        lower = jnum(ci[1]), upper = jnum(ci[2])))
    }
  }
}

## ---- write --------------------------------------------------------------------------

json <- paste0("{\n",
  jstr("r_version"), ":", jstr(R.version.string), ",\n",
  jstr("survival_version"), ":", jstr(as.character(packageVersion("survival"))), ",\n",
  jstr("subjects"), ":", jlist(subject_items), ",\n",
  jstr("curves"), ":", jlist(curve_items), ",\n",
  jstr("logrank"), ":", jlist(lr_items), ",\n",
  jstr("cox"), ":", jlist(cox_items), ",\n",
  jstr("adjusted"), ":", jlist(adj_items), ",\n",
  jstr("prevalence"), ":", jlist(prev_items), "\n}\n")
writeLines(json, out, sep = "")
cat("wrote", out, "\n")
