# make_lifedomain_reference.R prints the R values behind TestLifeDomainDetail
# (analyses/lifedomains_detail_test.go): six followed persons' intake and
# follow-up scores, two of them (q7, q8) in one household.
#
#     Rscript analyses/testdata/make_lifedomain_reference.R
#
# Base R and sandwich. The test holds the printed values (17 digits).
suppressPackageStartupMessages(library(sandwich))
first <- c(2, 1, 5, 2, 3, 2)    # q1 q2 q3 q6 q7 q8
last  <- c(4, 1, 4, 5, 4, 4)
hh    <- c("q1", "q2", "q3", "q6", "d1", "d1")
d <- last - first
tt <- t.test(last, first, paired = TRUE)
wt <- suppressWarnings(wilcox.test(last, first, paired = TRUE))
fit <- lm(d ~ 1)
se <- sqrt(vcovCL(fit, cluster = hh, type = "HC1")[1, 1])
G <- length(unique(hh))
rc <- qnorm(0.975) * sqrt(2) * sd(first) * sqrt(1 - 0.8)
out <- c(t_lower = tt$conf.int[1], t_upper = tt$conf.int[2], wilcoxon_p = wt$p.value,
         cluster_lower = mean(d) - qt(0.975, G - 1) * se, cluster_upper = mean(d) + qt(0.975, G - 1) * se,
         reliable_change = rc)
for (n in names(out)) cat(sprintf("%s = %.17g\n", n, out[[n]]))
