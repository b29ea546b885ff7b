/*
 * core/tags.c
 *		Which KPI made a summary.  Several KPIs share a state type (every
 *		rate is hits / total), so a summary from k_summary() carries a tag
 *		naming k, and accessors, rollup() and combine functions check it:
 *		a win_rate summary cannot be read as a conversion rate, nor rolled up
 *		with one.  The plain KPI aggregates keep tag 0 (none).
 *
 * The tag comes from the summary aggregate's INITCOND (e.g. 'win_rate(0,0)'),
 * so the KPIs and their summaries share every transition function.  In text
 * form the tag is the KPI's name before the parentheses; in binary form an
 * int32 after the version byte.
 */
#include "core/tags.h"

#include <ctype.h>

#include "core/wire.h"

typedef struct KpiInfo
{
	const char *name;			/* the tag in text form */
	const char *typname;
	const char *kpi;			/* the KPI's functions: kpi(), kpi_summary() */
} KpiInfo;

#define RATE "smarkpi_rate_summary"
#define MONEY "smarkpi_money_summary"
#define DURATION "smarkpi_duration_summary"
#define COUNT_RATIO "smarkpi_count_ratio_summary"

static const KpiInfo kpis[SMARKPI_KPI_N] = {
	[SMARKPI_KPI_NONE] = {"", NULL, NULL},
	[SMARKPI_KPI_CONVERSION_RATE] = {"conversion_rate", RATE, "conversion_rate"},
	[SMARKPI_KPI_CONVERSION_RATE_WITHIN] = {"conversion_rate_within", RATE, "conversion_rate"},
	[SMARKPI_KPI_MQL_SAL_RATE] = {"mql_sal_rate", RATE, "mql_sal_rate"},
	[SMARKPI_KPI_MQL_SAL_RATE_WITHIN] = {"mql_sal_rate_within", RATE, "mql_sal_rate"},
	[SMARKPI_KPI_WIN_RATE] = {"win_rate", RATE, "win_rate"},
	[SMARKPI_KPI_RETENTION_RATE] = {"retention_rate", RATE, "retention_rate"},
	[SMARKPI_KPI_CSAT] = {"csat", RATE, "csat"},
	[SMARKPI_KPI_CAC] = {"cac", MONEY, "cac"},
	[SMARKPI_KPI_CAC_RATIO] = {"cac_ratio", MONEY, "cac_ratio"},
	[SMARKPI_KPI_CPL] = {"cpl", MONEY, "cpl"},
	[SMARKPI_KPI_ROI] = {"roi", MONEY, "roi"},
	[SMARKPI_KPI_ROAS] = {"roas", MONEY, "roas"},
	[SMARKPI_KPI_AVG_DEAL_SIZE] = {"avg_deal_size", MONEY, "avg_deal_size"},
	[SMARKPI_KPI_PIPELINE_VALUE] = {"pipeline_value", MONEY, "pipeline_value"},
	[SMARKPI_KPI_OPEN_PIPELINE_VALUE] = {"open_pipeline_value", MONEY, "open_pipeline_value"},
	[SMARKPI_KPI_QUOTA_ATTAINMENT] = {"quota_attainment", MONEY, "quota_attainment"},
	[SMARKPI_KPI_MARKETING_CONTRIBUTION] = {"marketing_contribution", MONEY,
	"marketing_contribution"},
	[SMARKPI_KPI_SALES_CYCLE_LENGTH] = {"sales_cycle_length", DURATION, "sales_cycle_length"},
	[SMARKPI_KPI_LEAD_RESPONSE_TIME] = {"lead_response_time", DURATION, "lead_response_time"},
	[SMARKPI_KPI_OPEN_RATE] = {"open_rate", COUNT_RATIO, "open_rate"},
	[SMARKPI_KPI_CLICK_THROUGH_RATE] = {"click_through_rate", COUNT_RATIO, "click_through_rate"},
	[SMARKPI_KPI_ENGAGEMENT_RATE] = {"engagement_rate", COUNT_RATIO, "engagement_rate"},
};

const char *
smarkpi_kpi_name(int64 kpi)
{
	Assert(kpi >= 0 && kpi < SMARKPI_KPI_N);
	return kpis[kpi].name;
}

/* Whether tag kpi may appear in a value of type typname (0, none, always may). */
bool
smarkpi_kpi_valid_for(int64 kpi, const char *typname)
{
	if (kpi == SMARKPI_KPI_NONE)
		return true;
	return kpi > 0 && kpi < SMARKPI_KPI_N && strcmp(kpis[kpi].typname, typname) == 0;
}

/* The names of typname's KPIs, for messages. */
static char *
kpi_names_of(const char *typname)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 1; i < SMARKPI_KPI_N; i++)
		if (strcmp(kpis[i].typname, typname) == 0)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", kpis[i].name);
	return buf.data;
}

/*
 * Reads the optional KPI name before the parentheses of a state's text
 * form; returns the rest of the text.
 */
char *
smarkpi_kpi_parse(char *str, const char *typname, int64 *kpi)
{
	char	   *p = str;
	char	   *name;
	int			len;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	name = p;
	while (islower((unsigned char) *p) || *p == '_')
		p++;
	len = p - name;
	*kpi = SMARKPI_KPI_NONE;
	if (len == 0)
		return str;
	for (i = 1; i < SMARKPI_KPI_N && *p == '('; i++)
		if (strcmp(kpis[i].typname, typname) == 0 && strlen(kpis[i].name) == len &&
			strncmp(kpis[i].name, name, len) == 0)
		{
			*kpi = i;
			return p;
		}
	if (*p != '(')
		smarkpi_text_syntax_error(typname, str,
								  "Expected a KPI name directly followed by fields in "
								  "parentheses.");
	smarkpi_text_syntax_error(typname, str,
							  psprintf("\"%.*s\" is not a KPI with summaries of this type; those "
									   "are: %s.",
									   len, name, kpi_names_of(typname)));
	return NULL;				/* keep compiler quiet */
}

static const char *
made_by(int64 kpi)
{
	return kpi ? psprintf("%s_summary()", kpis[kpi].kpi) : "no summary aggregate";
}

/*
 * Combining or subtracting two states needs them to come from the same KPI
 * (both 0 inside a KPI's own aggregate).
 */
void
smarkpi_kpi_check_same(int64 kpi, int64 other, const char *typname)
{
	if (kpi == other)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("cannot combine summaries of different KPIs"),
			 errdetail("One %s was made by %s, the other by %s.", typname,
					   made_by(kpi), made_by(other)),
			 errhint("Roll up the summaries of one KPI at a time: keep each KPI's summaries in "
					 "their own column.")));
}

/* An accessor reads only the summaries of its own KPI (one of want, also). */
void
smarkpi_kpi_expect(int64 kpi, int64 want, int64 also, const char *accessor)
{
	if (kpi == want || kpi == also)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("%s() cannot read this summary", accessor),
			 kpi ? errdetail("The summary was made by %s.", made_by(kpi))
			 : errdetail("The state carries no KPI tag: no summary aggregate made it."),
			 kpi ? errhint("Read it with %s(), or make the summary with %s_summary().",
						   kpis[kpi].kpi, accessor)
			 : errhint("Make summaries with %s_summary().", accessor)));
}
