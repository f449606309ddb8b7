package main

// subHelp is the -help of a subcommand: its synopsis and description, and its exit
// statuses. The flags are listed between them by cmdFlags.
type subHelp struct{ text, exits string }

const exitsListing = `exit status: 0 done, 1 failed (unreadable definitions or input), 2 usage error`

// formsHelp holds the -help of each "kyso forms" subcommand.
var formsHelp = map[string]subHelp{
	"list":   {"usage: kyso forms list [-defs DIR]\n\nOne form per line: identifier, confidence, title.", exitsListing},
	"show":   {"usage: kyso forms show -form ID [-defs DIR]\n\nThe definition in effect (with the agency's changes), as JSON.", exitsListing},
	"schema": {"usage: kyso forms schema -form ID [-defs DIR]\n\nThe JSON Schema of the form's data document.", exitsListing},
	"validate": {"usage: kyso forms validate -form ID -data FILE [-base FILE.json] [-table ID] [-defs DIR]\n\n" +
		"Checks form data: a JSON document, or a CSV/XLSX list (with -base for the other values\nand -table when the form has several lists). One line per problem.",
		"exit status: 0 valid, 1 invalid data or unreadable input, 2 usage error"},
	"render": {"usage: kyso forms render -form ID (-data FILE | -sample) -out FILE.pdf [-base FILE.json] [-table ID] [-defs DIR] [-draft]\n\n" +
		"Renders the letter as a PDF ready to sign; -draft renders data that does not validate.",
		"exit status: 0 written, 1 invalid data or not written, 2 usage error"},
	"template": {"usage: kyso forms template -form ID [-table ID] [-sample] -out FILE.xlsx|FILE.csv [-defs DIR]\n\n" +
		"Writes a spreadsheet for one of the form's lists, to fill in and give to -data.",
		"exit status: 0 written, 1 not written, 2 usage error"},
	"deadline": {"usage: kyso forms deadline -profile ID|FILE.json -period YYYY-MM|YYYY [-holiday D] [-workday D]\n\n" +
		"When the profile's reports are due (profiles: quang-ninh, ha-tinh, or a province file).",
		"exit status: 0 printed, 1 unknown or unreadable profile, 2 usage error (bad period or date)"},
}

// policyHelp holds the -help of each "kyso policy" subcommand.
var policyHelp = map[string]subHelp{
	"check": {"usage: kyso policy check [-profile P] [-profile-file F] [-json] < request.json\n" +
		"       kyso policy check -example NAME   (names: -example list)\n\n" +
		"Decides whether a signer may apply a signature. The request (JSON, described in\n" +
		"kyso policy -help) is read from standard input.",
		"exit status: 0 allowed, 1 refused or bad request, 2 usage error"},
	"sequence": {"usage: kyso policy sequence [-profile P] [-profile-file F] [-json] < signed.json\n" +
		"       kyso policy sequence -pdf FILE [-kind K] [-classification C] [-own-copy] [-signers K,…] [-trust ROOTS.pem]\n\n" +
		"Checks the signatures already in a document, from JSON ({\"document\":…,\"signatures\":[…]})\n" +
		"on standard input or from a signed PDF.",
		"exit status: 0 compliant, 1 not compliant or bad input, 2 usage error"},
	"rules": {"usage: kyso policy rules [-profile P] [-profile-file F] [-json]\n\n" +
		"Lists every rule with its citations, the governing decree first.",
		"exit status: 0 listed, 1 unreadable profile file, 2 usage error (unknown profile)"},
	"profiles": {"usage: kyso policy profiles [-profile-file F] [-json]\n\n" +
		"Lists the province profiles: period, successor, subscriber manager, reports and deadlines.",
		"exit status: 0 listed, 1 unreadable profile file, 2 usage error"},
	"deadlines": {"usage: kyso policy deadlines -period YYYY-MM|YYYY [-profile P] [-profile-file F] [-holiday D] [-workday D] [-json]\n\n" +
		"When the profile's periodic reports are due, who sends them, and why.",
		"exit status: 0 printed, 1 unreadable profile file, 2 usage error (bad period, unknown profile)"},
}

// formsExitCodes and policyExitCodes end the usage of the commands themselves.
const (
	formsExitCodes  = "\nexit status: 0 done, 1 failed or invalid, 2 usage error (kyso forms SUBCOMMAND -help for each)\n"
	policyExitCodes = "\nexit status: 0 allowed or compliant, 1 refused, not compliant or bad input, 2 usage error\n(kyso policy SUBCOMMAND -help for each)\n"
)

// layoutHelp holds the -help of each "kyso layout" subcommand.
var layoutHelp = map[string]subHelp{
	"check": {"usage: kyso layout check [-json] [-seal-mm N] FILE.pdf|-\n\n" +
		"Checks a received PDF against Nghị định 30/2020 Phụ lục I: its visible signatures and\n" +
		"its measurable thể thức; one finding per rule with its citation. - reads standard input.",
		"exit status: 0 conforming (warnings allowed), 1 a rule is broken, 2 usage error, 3 the file cannot be read"},
	"anchors": {"usage: kyso layout anchors [-title TEXT] [-name TEXT] [-lines] FILE.pdf|-\n\n" +
		"Prints the signer blocks layout's anchor finder (layout.FindSigner) finds: page, title\n" +
		"box (ô 7a), name box (ô 7b) and the gap between them where the signature image goes\n" +
		"(ô 7c); every block on the pages, or only the signer -name (and -title) given. When\n" +
		"none is found (or with -lines), the text lines the extractor found on each page, with\n" +
		"their boxes. - reads standard input.",
		"exit status: 0 a block found (or none asked for), 1 the signer given by -name not found,\n" +
			"2 usage error, 3 the file cannot be read"},
}
