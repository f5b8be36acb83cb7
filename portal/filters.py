import django_filters
from django import forms


class BootstrapFilterSet(django_filters.FilterSet):
    """Filter forms styled for Bootstrap 5's compact filter bar."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                if isinstance(widget, forms.Select | forms.SelectMultiple):
                    widget.attrs.setdefault("class", "form-select form-select-sm")
                elif isinstance(widget, forms.CheckboxInput):
                    widget.attrs.setdefault("class", "form-check-input")
                else:
                    widget.attrs.setdefault("class", "form-control form-control-sm")
            form._styled = True
        return form
