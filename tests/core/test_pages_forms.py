"""Forms render with Bootstrap's classes, and each error is tied to its field."""

import re

from django import forms
from django.utils import translation


class TenderSearchForm(forms.Form):
    title = forms.CharField(label="Title", help_text="As it appears on the notice.")
    reference = forms.CharField(label="Reference", required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("works", "Works"), ("goods", "Goods")])
    lots = forms.MultipleChoiceField(
        label="Lots", choices=[("1", "Lot 1"), ("2", "Lot 2")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("The search could not be run.")


def _tag(html, element_id):
    return re.search(rf'<(?:input|select)[^>]*\bid="{element_id}"[^>]*>', html).group(0)


def test_an_invalid_fields_error_is_tied_to_it():
    # given a form submitted without its required title
    form = TenderSearchForm(data={"kind": "works", "lots": ["1"], "agree": "on"})

    # when it is rendered
    html = form.as_div()

    # then the input is marked invalid and described by its help text and its error
    title = _tag(html, "id_title")
    assert 'class="form-control is-invalid"' in title
    assert 'aria-invalid="true"' in title
    assert 'aria-describedby="id_title_helptext id_title_error"' in title
    assert (
        '<ul class="errorlist invalid-feedback d-block list-unstyled mb-1" id="id_title_error">'
        "<li>This field is required.</li></ul>"
    ) in html
    assert (
        '<div class="form-text" id="id_title_helptext">As it appears on the notice.</div>' in html
    )
    assert '<label class="form-label" for="id_title">Title</label>' in html


def test_a_valid_field_is_not_marked_invalid():
    # given a form whose reference is fine
    form = TenderSearchForm(data={"reference": "T-1"})

    # when it is rendered
    html = form.as_div()

    # then the reference input has Bootstrap's class and no error marks
    reference = _tag(html, "id_reference")
    assert 'class="form-control"' in reference
    assert "aria-invalid" not in reference
    assert "aria-describedby" not in reference
    assert '<span class="text-body-secondary">(optional)</span>' in html


def test_selects_checkboxes_and_choice_lists_get_their_bootstrap_classes():
    # given an unbound form
    form = TenderSearchForm()

    # when it is rendered
    html = str(form)

    # then each kind of widget has the class Bootstrap styles
    assert 'class="form-select"' in _tag(html, "id_kind")
    assert 'class="form-check-input"' in _tag(html, "id_agree")
    assert 'class="form-check-input"' in _tag(html, "id_lots_0")
    assert '<label class="form-check-label" for="id_agree">I agree</label>' in html
    assert '<label class="form-check-label" for="id_lots_0">Lot 1</label>' in html
    assert '<legend class="form-label fs-6">Lots</legend>' in html
    assert 'class="form-control"' not in _tag(html, "id_token")


def test_a_choice_lists_error_is_tied_to_its_fieldset():
    # given a form submitted without any lot
    form = TenderSearchForm(data={"title": "Roads"})

    # when it is rendered
    html = form.as_div()

    # then the fieldset points at the error, and each box is marked invalid
    assert '<fieldset aria-describedby="id_lots_error">' in html
    assert (
        '<ul class="errorlist invalid-feedback d-block list-unstyled mb-1" id="id_lots_error">'
        in html
    )
    assert 'aria-invalid="true"' in _tag(html, "id_lots_0")


def test_errors_that_belong_to_no_field_are_an_alert():
    # given a form whose whole-form check fails
    form = TenderSearchForm(data={"title": "Roads", "kind": "works", "lots": ["1"], "agree": "on"})

    # when it is rendered
    html = form.as_div()

    # then the error is announced at the top of the form
    assert html.startswith(
        '<div class="alert alert-danger" role="alert">'
        '<ul class="errorlist nonfield list-unstyled mb-0">'
        "<li>The search could not be run.</li></ul></div>"
    )


def test_the_optional_mark_is_translated():
    # given a Persian page
    with translation.override("fa"):
        # when a form with an optional field is rendered
        html = TenderSearchForm().as_div()

    # then the mark is Persian
    assert "(اختیاری)" in html
