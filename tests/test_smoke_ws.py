from aseanctl.validation import validate_workspace


def test_minimal_workspace_is_clean(make_workspace):
    report = validate_workspace(make_workspace())
    assert report.problems == ()
