from django import forms

from teams.models import RulesFiling


class RulesFilingForm(forms.ModelForm):
    class Meta:
        model = RulesFiling
        fields = ["team", "title", "content", "effective_from"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 14}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams
        if self.instance.pk:
            del self.fields["team"]


class UploadForm(forms.Form):
    file = forms.FileField(label="附件（PDF、图片、Word、Excel，单个不超过 10 MB）")


class SubmitForm(forms.Form):
    opinion = forms.CharField(
        label="报批说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
